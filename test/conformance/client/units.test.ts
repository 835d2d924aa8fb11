/**
 * fleet-api.md §12 through @fleet-service/fleet-client against fleet-sim: the unit cases a
 * FleetApi call can express (get, create/replace, set desiredState, destroy). Wire-only details
 * (headers, raw bodies, routing) are checked in ../raw; see ../README.md for the mapping.
 */
import type { JobState } from '@fleet-service/fleet-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClientSim, expectFleetFailure, startClientSim } from '../support/client-sim.js';
import { MACHINES_XXX_YYY, O } from '../support/reference.js';

const FOO_BAZ = [{ section: 'Service', name: 'Foo', value: 'Baz' }];
const OTHER = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
const OTHER_AGAIN = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 3000' }];

describe('conformance (fleet-client): units', () => {
  let cs: ClientSim;
  beforeEach(async () => {
    cs = await startClientSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterEach(async () => {
    await cs.close();
  });

  const create = async (name: string, desiredState?: JobState) => {
    const result = await cs.client.createUnit({
      name,
      options: O,
      ...(desiredState ? { desiredState } : {}),
    });
    expect(result).toEqual({ contentsWritten: true });
  };

  it('§12.1 listUnits → XXX.service, YYY.service in order', async () => {
    await create('YYY.service');
    await create('XXX.service');
    expect((await cs.client.listUnits()).map((u) => u.name)).toEqual(['XXX.service', 'YYY.service']);
    const iterated: string[] = [];
    for await (const unit of cs.client.iterateUnits()) iterated.push(unit.name);
    expect(iterated).toEqual(['XXX.service', 'YYY.service']);
  });

  it('§12.5 getUnit("foo/bar") → undefined (fleet’s 404; the name is percent-encoded, %2F is never an item)', async () => {
    expect(await cs.client.getUnit('foo/bar')).toBeUndefined();
  });

  it('§12.6 getUnit of an existing unit → the Unit; of ZZZ → undefined', async () => {
    await create('XXX.service');
    expect(await cs.client.getUnit('XXX.service')).toEqual({
      name: 'XXX.service',
      currentState: 'inactive',
      desiredState: 'inactive',
      options: O,
    });
    expect(await cs.client.getUnit('ZZZ')).toBeUndefined();
  });

  it('§12.7 destroyUnit of an existing unit → true; the unit is gone', async () => {
    await create('XXX.service');
    expect(await cs.client.destroyUnit('XXX.service')).toBe(true);
    expect(await cs.client.getUnit('XXX.service')).toBeUndefined();
  });

  it('§12.8 destroyUnit of an absent unit → FleetNotFoundError (404 unit does not exist); ignoreNotFound → false; others untouched', async () => {
    await create('XXX.service');
    const error = await expectFleetFailure(cs.client.destroyUnit('YYY.service'), {
      name: 'FleetNotFoundError',
      status: 404,
      fleetMessage: 'unit does not exist',
    });
    expect(error.code).toBe('ERR_FLEET_NOT_FOUND');
    expect(error.method).toBe('DELETE');
    expect(error.message).toContain('YYY.service');
    expect(await cs.client.destroyUnit('YYY.service', { ignoreNotFound: true })).toBe(false);
    expect((await cs.client.listUnits()).map((u) => u.name)).toEqual(['XXX.service']);
  });

  it('§12.9 setUnitTargetState(XXX.service, launched) on an existing inactive unit → desiredState launched', async () => {
    await create('XXX.service');
    await cs.client.setUnitTargetState('XXX.service', 'launched');
    expect((await cs.client.getUnit('XXX.service'))?.desiredState).toBe('launched');
  });

  it('§12.10 createUnit(YYY.service, loaded, [Service Foo=Baz]) → contentsWritten (201); desiredState loaded', async () => {
    expect(
      await cs.client.createUnit({ name: 'YYY.service', desiredState: 'loaded', options: FOO_BAZ }),
    ).toEqual({
      contentsWritten: true,
    });
    expect(await cs.client.getUnit('YYY.service')).toMatchObject({
      desiredState: 'loaded',
      options: FOO_BAZ,
    });
  });

  it('§12.13 setUnitTargetState(loaded) → 204 handled; desiredState loaded', async () => {
    await create('XXX.service');
    await expect(cs.client.setUnitTargetState('XXX.service', 'loaded')).resolves.toBeUndefined();
    expect((await cs.client.getUnit('XXX.service'))?.desiredState).toBe('loaded');
  });

  it('§12.14 setUnitTargetState(XXX@.service, launched) → FleetRejectedError 400 cannot activate template; stays inactive', async () => {
    await create('XXX@.service');
    const error = await expectFleetFailure(cs.client.setUnitTargetState('XXX@.service', 'launched'), {
      name: 'FleetRejectedError',
      status: 400,
      fleetMessage: 'cannot activate template "XXX@.service"',
    });
    expect(error.message).toContain('cannot activate template');
    expect((await cs.client.getUnit('XXX@.service'))?.desiredState).toBe('inactive');
  });

  it('§12.30 createUnit without desiredState (absent) → contentsWritten; GET shows desiredState inactive', async () => {
    await create('foo.service');
    expect(await cs.client.getUnit('foo.service')).toEqual({
      name: 'foo.service',
      currentState: 'inactive',
      desiredState: 'inactive',
      options: O,
    });
  });

  it('§12.31 the same createUnit again (identical options, no desiredState) → FleetConflictError 409 must provide DesiredState', async () => {
    await create('foo.service');
    const error = await expectFleetFailure(cs.client.createUnit({ name: 'foo.service', options: O }), {
      name: 'FleetConflictError',
      status: 409,
      fleetMessage: 'must provide DesiredState to update existing unit',
    });
    expect(error.code).toBe('ERR_FLEET_CONFLICT');
    expect(error.message).toMatch(/^PUT \S*units\/foo\.service failed \(409\): must provide DesiredState/);
  });

  it('§12.32 createUnit(loaded, identical options) → contentsWritten false (204)', async () => {
    await create('foo.service');
    expect(await cs.client.createUnit({ name: 'foo.service', desiredState: 'loaded', options: O })).toEqual({
      contentsWritten: false,
    });
    expect((await cs.client.getUnit('foo.service'))?.desiredState).toBe('loaded');
  });

  it('§12.33 createUnit(launched, different options) → contentsWritten; new options and launched', async () => {
    await create('foo.service');
    expect(
      await cs.client.createUnit({ name: 'foo.service', desiredState: 'launched', options: OTHER }),
    ).toEqual({
      contentsWritten: true,
    });
    expect(await cs.client.getUnit('foo.service')).toMatchObject({
      desiredState: 'launched',
      options: OTHER,
    });
  });

  it('§12.34 createUnit(different options again, no desiredState) → contentsWritten; desiredState reset to inactive', async () => {
    await create('foo.service', 'launched');
    expect(await cs.client.createUnit({ name: 'foo.service', options: OTHER_AGAIN })).toEqual({
      contentsWritten: true,
    });
    expect(await cs.client.getUnit('foo.service')).toMatchObject({
      desiredState: 'inactive',
      options: OTHER_AGAIN,
    });
  });

  it('§12.40 createUnit(.service) and createUnit(foo@bar@baz.service) → contentsWritten', async () => {
    await create('.service');
    await create('foo@bar@baz.service');
    expect((await cs.client.listUnits()).map((u) => u.name)).toEqual(['.service', 'foo@bar@baz.service']);
  });

  it('§12.41 template created launched → 201; setUnitTargetState(loaded) → 400 cannot activate template; inactive → ok', async () => {
    await create('tmpl@.service', 'launched');
    expect((await cs.client.getUnit('tmpl@.service'))?.desiredState).toBe('launched');
    await expectFleetFailure(cs.client.setUnitTargetState('tmpl@.service', 'loaded'), {
      name: 'FleetRejectedError',
      status: 400,
      fleetMessage: 'cannot activate template "tmpl@.service"',
    });
    await cs.client.setUnitTargetState('tmpl@.service', 'inactive');
    expect((await cs.client.getUnit('tmpl@.service'))?.desiredState).toBe('inactive');
  });

  it('§12.42 setUnitTargetState(tmpl@1.service, launched) with only the template present → FleetConflictError 409', async () => {
    await create('tmpl@.service');
    const error = await expectFleetFailure(cs.client.setUnitTargetState('tmpl@1.service', 'launched'), {
      name: 'FleetConflictError',
      status: 409,
      fleetMessage: 'unit does not exist and options field empty',
    });
    // The message format issue 2 gives as its example.
    expect(error.message).toBe(
      'PUT /fleet/v1/units/tmpl@1.service failed (409): unit does not exist and options field empty',
    );
    expect(error).toMatchObject({
      method: 'PUT',
      path: '/fleet/v1/units/tmpl@1.service',
      unitName: 'tmpl@1.service',
    });
    expect(await cs.client.getUnit('tmpl@1.service')).toBeUndefined();
  });

  it('§12.47 options re-ordered across sections but serialising the same → contentsWritten false', async () => {
    const first = [
      { section: 'Service', name: 'A', value: '1' },
      { section: 'Unit', name: 'B', value: '2' },
      { section: 'Service', name: 'C', value: '3' },
    ];
    expect(await cs.client.createUnit({ name: 'foo.service', options: first })).toEqual({
      contentsWritten: true,
    });
    const second = [first[0], first[2], first[1]] as typeof first;
    expect(
      await cs.client.createUnit({ name: 'foo.service', options: second, desiredState: 'loaded' }),
    ).toEqual({
      contentsWritten: false,
    });
  });

  it('§12.51 getUnit(tmpl@.service) → the unit (the name is percent-encoded, @ → %40, and decoded by fleet)', async () => {
    await create('tmpl@.service');
    expect((await cs.client.getUnit('tmpl@.service'))?.name).toBe('tmpl@.service');
    await create('yes@no\\.service');
    expect((await cs.client.getUnit('yes@no\\.service'))?.name).toBe('yes@no\\.service');
  });

  it('§12.22 serverVersion() reads Server: fleetd/v1.0.0 → "1.0.0"', async () => {
    expect(await cs.client.serverVersion()).toBe('1.0.0');
  });

  it('§12.24 an error’s fleetMessage is fleet’s error.message, including ""', async () => {
    await create('XXX.service');
    // A route-level 404 has message "": destroying a name that is no item path (%2F → "/").
    const error = await expectFleetFailure(cs.client.destroyUnit('a/b.service'), {
      name: 'FleetNotFoundError',
      status: 404,
      fleetMessage: '',
    });
    expect(error.status).toBe(404);
  });
});
