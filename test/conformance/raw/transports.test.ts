/**
 * A few §12 cases over both of the sim's listeners: TCP (127.0.0.1, port 0) and a unix socket
 * (fleet's default transport, §1.1). The wire must be the same on both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, MACHINES_XXX_YYY, MACHINES_XXX_YYY_BODY, O } from '../support/reference.js';
import {
  expectFleetError,
  expectJson,
  expectNoContent,
  expectServerHeader,
  startWireSim,
  type WireSim,
} from '../support/wire-sim.js';

describe.each([
  { transport: 'tcp', unixSocket: false },
  { transport: 'unix socket', unixSocket: true },
])('conformance (raw HTTP over $transport)', ({ unixSocket }) => {
  let w: WireSim;
  beforeEach(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY], tokenLimit: 2, unixSocket });
  });
  afterEach(async () => {
    await w.close();
  });

  it('endpoint is of the advertised form', () => {
    if (unixSocket) {
      expect(w.sim.endpoint).toMatch(/^unix:\/\/\//);
      expect('socketPath' in w.target).toBe(true);
    } else {
      expect(w.sim.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('§12.18 GET /machines body byte for byte (at limit 2: plus the trailing-page token, §12.49)', async () => {
    const res = await w.get('machines');
    expectJson(res, `${MACHINES_XXX_YYY_BODY.slice(0, -1)},"nextPageToken":"AgACAA=="}`);
    expectServerHeader(res);
  });

  it('§12.30 PUT {"options":O} → 201 without Content-Type or body; GET shows inactive', async () => {
    expectNoContent(await w.putUnit('foo.service', { options: O }), 201);
    expectJson(
      await w.getUnit('foo.service'),
      '{"currentState":"inactive","desiredState":"inactive","name":"foo.service","options":[{"name":"ExecStart","section":"Service","value":"/bin/true"}]}',
    );
  });

  it('§12.48 pages over the same transport: AgACAA== then {}', async () => {
    for (const name of ['a.service', 'b.service', 'c.service']) {
      expect((await w.putUnit(name, { options: O })).status).toBe(201);
    }
    const page1 = JSON.parse((await w.get('units')).body) as { nextPageToken?: string };
    expect(page1.nextPageToken).toBe('AgACAA==');
    const page2 = JSON.parse((await w.get('units?nextPageToken=AgACAA%3D%3D')).body) as { units: unknown[] };
    expect(page2.units).toHaveLength(1);
    expectJson(await w.get('units?nextPageToken=AgADAA=='), '{}');
  });

  it('§12.52 HEAD /units → 405 without body', async () => {
    const res = await w.send('HEAD', `${BASE}/units`);
    expect(res.status).toBe(405);
    expect(res.body).toBe('');
  });

  it('§12.58 GET /state/nope.service → connection closed without response; the listener keeps serving', async () => {
    const res = await w.send('GET', `${BASE}/state/nope.service`);
    expect(res.closedWithoutResponse).toBe(true);
    expectFleetError(await w.getUnit('nope.service'), 404, 'unit does not exist');
  });
});
