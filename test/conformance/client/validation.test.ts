/**
 * fleet-api.md §12 validation cases through fleet-client. The client validates names, options
 * and desiredState before every PUT that carries them (fleet-api.md §13.1, §13.7), so where fleet
 * would answer 400/409/500 the client refuses locally with fleet's own message and sends nothing;
 * where fleet accepts, the client must accept too (and fleet-sim answers).
 */
import type { JobState } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientSim, expectLocalRefusal, startClientSim } from '../support/client-sim.js';
import { BAD_NAMES, GOOD_NAMES, MACHINES_XXX_YYY, O } from '../support/reference.js';

const xfleet = (...pairs: [string, string][]) =>
  pairs.map(([name, value]) => ({ section: 'X-Fleet', name, value }));

describe('conformance (fleet-client): names, options, desiredState', () => {
  let cs: ClientSim;
  beforeAll(async () => {
    cs = await startClientSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterAll(async () => {
    await cs.close();
  });

  const createOk = async (name: string, options = O) =>
    expect(await cs.client.createUnit({ name, options })).toEqual({ contentsWritten: true });

  it.each([...GOOD_NAMES, `${'a'.repeat(248)}.service`])('§12.28 good name %s → created', async (name) => {
    await createOk(name);
    expect((await cs.client.getUnit(name))?.name).toBe(name);
  });

  it.each([
    ...BAD_NAMES,
    // beyond fleet's list: bytes, not characters, count; names the URL could never carry
    [`${'é'.repeat(125)}.service`, 'unit name exceeds maximum length (256)'],
    ['yes/no.service', "invalid character '/' in unit name"],
    ['a b.service', "invalid character ' ' in unit name"],
  ])('§12.28/§12.39 bad name %s → refused before sending: %s', async (name, message) => {
    await expectLocalRefusal(cs, () => cs.client.createUnit({ name, options: O }), message);
  });

  it('§12.11 createUnit with options [] → refused locally (fleet: 409 for a new unit); nothing created', async () => {
    await expectLocalRefusal(
      cs,
      () => cs.client.createUnit({ name: 'empty.service', options: [], desiredState: 'loaded' }),
      /options/,
    );
    expect(await cs.client.getUnit('empty.service')).toBeUndefined();
  });

  it('§12.27 Conflicts=b*e + MachineOf=bar.service → refused: peer matches conflict', async () => {
    await expectLocalRefusal(
      cs,
      () =>
        cs.client.createUnit({
          name: 'v1.service',
          options: xfleet(['Conflicts', 'b*e'], ['MachineOf', 'bar.service']),
        }),
      'unresolvable requirements: peer "bar.service" matches conflict "b*e"',
    );
  });

  it('§12.27 Conflicts=b*e + MachineOf=foo.service → created', async () => {
    await createOk('v2.service', xfleet(['Conflicts', 'b*e'], ['MachineOf', 'foo.service']));
  });

  it('§12.27 Replaces=foo.service + Conflicts=bar.service → refused', async () => {
    await expectLocalRefusal(
      cs,
      () =>
        cs.client.createUnit({
          name: 'v3.service',
          options: xfleet(['Replaces', 'foo.service'], ['Conflicts', 'bar.service']),
        }),
      'Conflicts cannot be used with Replaces',
    );
  });

  it('§12.27 Global=true + Conflicts=foo.service → created', async () => {
    await createOk('v4.service', xfleet(['Global', 'true'], ['Conflicts', 'foo.service']));
  });

  it('§12.27/§12.43 Global=true + MachineID in either order → refused: MachineID cannot be used with Global', async () => {
    for (const options of [
      xfleet(['Global', 'true'], ['MachineID', 'abc']),
      xfleet(['MachineID', 'abc'], ['Global', 'true']),
    ]) {
      await expectLocalRefusal(
        cs,
        () => cs.client.createUnit({ name: 'v5.service', options }),
        'MachineID cannot be used with Global',
      );
    }
  });

  it('§12.43 replacing an existing unit with Global+MachineID: fleet accepts (201), the client refuses by design (§13.7)', async () => {
    await createOk('g.service');
    await expectLocalRefusal(
      cs,
      () =>
        cs.client.createUnit({
          name: 'g.service',
          options: xfleet(['Global', 'true'], ['MachineID', 'abc']),
        }),
      'MachineID cannot be used with Global',
    );
    expect((await cs.client.getUnit('g.service'))?.options).toEqual(O);
  });

  it('§12.44 a 2100-character value → refused: line too long (max 2048 bytes)', async () => {
    await expectLocalRefusal(
      cs,
      () =>
        cs.client.createUnit({
          name: 'long.service',
          options: [{ section: 'Service', name: 'ExecStart', value: 'x'.repeat(2100) }],
        }),
      'line too long (max 2048 bytes)',
    );
  });

  it('§12.44 a value containing \\n → refused: unexpected newline encountered while parsing option name', async () => {
    await expectLocalRefusal(
      cs,
      () =>
        cs.client.createUnit({
          name: 'nl.service',
          options: [{ section: 'Service', name: 'ExecStart', value: '/bin/true\n/bin/false' }],
        }),
      'unexpected newline encountered while parsing option name',
    );
  });

  it('§12.35 createUnit with desiredState bogus → refused locally (fleet: 500, nothing stored)', async () => {
    await expectLocalRefusal(
      cs,
      () => cs.client.createUnit({ name: 'bogus.service', options: O, desiredState: 'bogus' as JobState }),
      /desiredState/,
    );
    expect(await cs.client.getUnit('bogus.service')).toBeUndefined();
  });

  it('§12.36 setUnitTargetState(bogus) on an existing unit → refused locally (fleet would store it and poison the unit)', async () => {
    await createOk('poison.service');
    await expectLocalRefusal(
      cs,
      () => cs.client.setUnitTargetState('poison.service', 'bogus' as JobState),
      /desiredState/,
    );
    expect((await cs.client.getUnit('poison.service'))?.desiredState).toBe('inactive');
  });
});
