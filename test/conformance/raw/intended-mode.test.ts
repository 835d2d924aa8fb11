/**
 * §12.36 and §12.58 describe two fleetd bugs (an invalid desiredState poisons a unit; GET
 * /state/{name} without state panics). fleet-sim reproduces them by default (faithful, checked in
 * units-crud and state); with `bugs: 'intended'` it answers what fleet's handlers meant to
 * answer (fleet-api.md §4.6, §15): checked here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, MACHINES_XXX_YYY, O } from '../support/reference.js';
import { bodyOf, expectFleetError, expectJson, startWireSim, type WireSim } from '../support/wire-sim.js';

describe("conformance (raw HTTP): bugs: 'intended'", () => {
  let w: WireSim;
  beforeEach(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY], bugs: 'intended' });
  });
  afterEach(async () => {
    await w.close();
  });

  it('§12.58 (intended) GET /state/nope.service → 404 unit state does not exist (api/state.go)', async () => {
    const res = await w.send('GET', `${BASE}/state/nope.service`);
    expect(res.closedWithoutResponse).toBe(false);
    expectFleetError(res, 404, 'unit state does not exist');
  });

  it('§12.36 (intended) {"desiredState":"bogus"} on an existing unit → 400; the unit stays readable and unchanged', async () => {
    expect((await w.putUnit('foo.service', { options: O })).status).toBe(201);
    const res = await w.putUnit('foo.service', { desiredState: 'bogus' });
    expectFleetError(res, 400);
    const unit = expectJson(await w.getUnit('foo.service'));
    expect(unit).toMatchObject({ name: 'foo.service', desiredState: 'inactive' });
    expect(bodyOf<{ units: unknown[] }>(await w.get('units')).units).toHaveLength(1);
    expect((await w.deleteUnit('foo.service')).status).toBe(204);
  });
});
