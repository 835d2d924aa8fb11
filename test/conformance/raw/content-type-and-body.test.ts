/**
 * fleet-api.md §12 over raw HTTP: the request Content-Type rule of PUT /units/{name} (§1.2) and
 * body decoding (§6 step 2). These need a raw client: no header, two headers, non-JSON bodies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, J, MACHINES_XXX_YYY, O } from '../support/reference.js';
import { expectFleetError, expectNoContent, startWireSim, type WireSim } from '../support/wire-sim.js';

const unitPath = (name: string) => `${BASE}/units/${name}`;
const BODY = JSON.stringify({ desiredState: 'inactive', options: O });

describe('conformance (raw HTTP): Content-Type and body decoding on PUT', () => {
  let w: WireSim;
  beforeEach(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterEach(async () => {
    await w.close();
  });

  it('§12.15 PUT with Content-Type: application/xml → 415 error JSON; nothing created', async () => {
    const res = await w.send('PUT', unitPath('foo.service'), {
      headers: [['Content-Type', 'application/xml']],
      body: BODY,
    });
    expectFleetError(res, 415, 'only acceptable Content-Type is application/json');
    expectFleetError(await w.getUnit('foo.service'), 404, 'unit does not exist');
  });

  it('§12.16 Content-Type: application/json; quality=0.9 is accepted (parameters allowed)', async () => {
    const res = await w.send('PUT', unitPath('foo.service'), {
      headers: [['Content-Type', 'application/json; quality=0.9']],
      body: BODY,
    });
    expectNoContent(res, 201);
    // errors.md: `; charset=utf-8` likewise.
    const res2 = await w.send('PUT', unitPath('bar.service'), {
      headers: [['Content-Type', 'application/json; charset=utf-8']],
      body: BODY,
    });
    expectNoContent(res2, 201);
  });

  it('§12.16 two Content-Type headers (both application/json) → 415', async () => {
    const res = await w.send('PUT', unitPath('foo.service'), { headers: [J, J], body: BODY });
    // api/serialization.go: "expected 1 Content-Type, got %d" (§1.2 gives the message for 0).
    expectFleetError(res, 415, 'expected 1 Content-Type, got 2');
    expectFleetError(await w.getUnit('foo.service'), 404, 'unit does not exist');
  });

  it('§12.37 PUT without a Content-Type header → 415 expected 1 Content-Type, got 0', async () => {
    const res = await w.send('PUT', unitPath('ct.service'), { body: BODY });
    expectFleetError(res, 415, 'expected 1 Content-Type, got 0');
  });

  it('§12.37 PUT with Content-Type: text/plain → 415 only acceptable Content-Type is application/json', async () => {
    const res = await w.send('PUT', unitPath('ct.service'), {
      headers: [['Content-Type', 'text/plain']],
      body: BODY,
    });
    expectFleetError(res, 415, 'only acceptable Content-Type is application/json');
  });

  it('§12.37 the Content-Type check comes first: a bad name without Content-Type → 415, not 400', async () => {
    const res = await w.send('PUT', unitPath('foo'), { body: BODY });
    expectFleetError(res, 415, 'expected 1 Content-Type, got 0');
  });

  it('§12.38 body `not json` → 400 unable to decode body: …', async () => {
    const res = await w.send('PUT', unitPath('bad.service'), { headers: [J], body: 'not json' });
    expectFleetError(res, 400, /^unable to decode body: /);
  });

  it("§12.38 (errors.md) body `not json` → Go's exact decoder message", async () => {
    const res = await w.send('PUT', unitPath('bad.service'), { headers: [J], body: 'not json' });
    expectFleetError(
      res,
      400,
      "unable to decode body: invalid character 'o' in literal null (expecting 'u')",
    );
  });

  it('§12.38 empty body → 400 unable to decode body: EOF', async () => {
    const res = await w.send('PUT', unitPath('bad.service'), { headers: [J], body: '' });
    expectFleetError(res, 400, 'unable to decode body: EOF');
  });

  it('§12.38 (errors.md) truncated JSON, a JSON array, a number for desiredState → 400 unable to decode body', async () => {
    const truncated = await w.send('PUT', unitPath('bad.service'), {
      headers: [J],
      body: '{"desiredState": "launched", "options": [',
    });
    expectFleetError(truncated, 400, 'unable to decode body: unexpected EOF');
    const array = await w.send('PUT', unitPath('bad.service'), { headers: [J], body: '[]' });
    expectFleetError(array, 400, /^unable to decode body: /);
    const number = await w.send('PUT', unitPath('bad.service'), {
      headers: [J],
      body: '{"desiredState": 5}',
    });
    expectFleetError(number, 400, /^unable to decode body: /);
    expectFleetError(await w.getUnit('bad.service'), 404, 'unit does not exist');
  });

  it("§12.38 (errors.md) Go's exact decoder messages for a JSON array and a number desiredState", async () => {
    const array = await w.send('PUT', unitPath('bad.service'), { headers: [J], body: '[]' });
    expectFleetError(
      array,
      400,
      'unable to decode body: json: cannot unmarshal array into Go value of type schema.Unit',
    );
    const number = await w.send('PUT', unitPath('bad.service'), {
      headers: [J],
      body: '{"desiredState": 5}',
    });
    expectFleetError(
      number,
      400,
      'unable to decode body: json: cannot unmarshal number into Go struct field Unit.desiredState of type string',
    );
  });

  it('§12.38 (errors.md) valid JSON followed by garbage: the decoder reads only the first value → 201', async () => {
    const res = await w.send('PUT', unitPath('bad.service'), {
      headers: [J],
      body: `${JSON.stringify({ desiredState: 'launched', options: O })} trailing`,
    });
    expectNoContent(res, 201);
    expect(JSON.parse((await w.getUnit('bad.service')).body)).toMatchObject({ desiredState: 'launched' });
  });

  it('§12.15 (§13.15) only PUT checks Content-Type: DELETE with text/plain → 204, PATCH without one → 204', async () => {
    expectNoContent(await w.putUnit('foo.service', { options: O }), 201);
    const del = await w.send('DELETE', unitPath('foo.service'), {
      headers: [['Content-Type', 'text/plain']],
    });
    expectNoContent(del, 204);
    const patch = await w.send('PATCH', `${BASE}/machines`, { body: '[]' });
    expect(patch.status).toBe(204);
  });
});
