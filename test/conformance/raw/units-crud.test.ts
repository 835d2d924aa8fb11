/**
 * fleet-api.md §12 over raw HTTP against fleet-sim: GET/PUT/DELETE /units/{name} and PUT
 * semantics (§4.2–§4.4, §6). Nothing is scheduled: the ManualClock never moves in this file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE, errorBody, MACHINES_XXX_YYY, O, unitBody } from '../support/reference.js';
import {
  bodyOf,
  expectFleetError,
  expectJson,
  expectNoContent,
  startWireSim,
  type WireSim,
} from '../support/wire-sim.js';

const FOO_BAZ = [{ section: 'Service', name: 'Foo', value: 'Baz' }];
const OTHER = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
const OTHER_AGAIN = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 3000' }];

describe('conformance (raw HTTP): units', () => {
  let w: WireSim;
  beforeEach(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterEach(async () => {
    await w.close();
  });

  const create = async (name: string, body: unknown = { options: O }) => {
    const res = await w.putUnit(name, body);
    expect(res.status, `create ${name}: ${res.body}`).toBe(201);
  };
  const desiredStateOf = async (name: string) =>
    bodyOf<{ desiredState?: string }>(await w.getUnit(name)).desiredState;

  it('§12.1 GET /units lists XXX.service then YYY.service, 200 application/json', async () => {
    await create('YYY.service');
    await create('XXX.service');
    const page = expectJson(await w.get('units')) as { units: { name: string }[]; nextPageToken?: string };
    expect(page.units.map((u) => u.name)).toEqual(['XXX.service', 'YYY.service']);
    expect(page.nextPageToken).toBeUndefined();
  });

  it('§12.5 GET /units/foo/bar → 404 error JSON', async () => {
    expectFleetError(await w.send('GET', `${BASE}/units/foo/bar`), 404, '');
  });

  it('§12.6 GET /units/XXX.service (exists) → 200; GET /units/ZZZ → 404 unit does not exist', async () => {
    await create('XXX.service');
    expectJson(
      await w.getUnit('XXX.service'),
      unitBody({ name: 'XXX.service', currentState: 'inactive', desiredState: 'inactive', options: O }),
    );
    expectFleetError(await w.getUnit('ZZZ'), 404, 'unit does not exist');
  });

  it('§12.7 DELETE /units/XXX.service (exists) → 204 without body or Content-Type; the unit is gone', async () => {
    await create('XXX.service');
    expectNoContent(await w.deleteUnit('XXX.service'), 204);
    expectFleetError(await w.getUnit('XXX.service'), 404, 'unit does not exist');
    expectJson(await w.get('units'), '{}');
  });

  it('§12.8 DELETE of an absent unit → 404 unit does not exist; other units untouched', async () => {
    await create('XXX.service');
    expectFleetError(await w.deleteUnit('YYY.service'), 404, 'unit does not exist');
    const page = bodyOf<{ units: { name: string }[] }>(await w.get('units'));
    expect(page.units.map((u) => u.name)).toEqual(['XXX.service']);
    // §4.2: names are validated only on PUT; DELETE of an invalid name is a plain 404 (errors.md).
    expectFleetError(await w.deleteUnit('foo.bar'), 404, 'unit does not exist');
  });

  it('§12.9 PUT {"name","desiredState":"launched"} on an existing inactive unit → 204; desiredState launched', async () => {
    await create('XXX.service');
    expect(await desiredStateOf('XXX.service')).toBe('inactive');
    expectNoContent(await w.putUnit('XXX.service', { name: 'XXX.service', desiredState: 'launched' }), 204);
    expect(await desiredStateOf('XXX.service')).toBe('launched');
  });

  it('§12.10 PUT YYY.service with options and desiredState loaded (absent) → 201; desiredState loaded', async () => {
    const res = await w.putUnit('YYY.service', {
      name: 'YYY.service',
      desiredState: 'loaded',
      options: FOO_BAZ,
    });
    expectNoContent(res, 201);
    expectJson(
      await w.getUnit('YYY.service'),
      unitBody({ name: 'YYY.service', currentState: 'inactive', desiredState: 'loaded', options: FOO_BAZ }),
    );
  });

  it('§12.11 PUT {"desiredState":"loaded","options":[]} for an absent unit → 409; nothing created', async () => {
    const res = await w.putUnit('YYY.service', { desiredState: 'loaded', options: [] });
    expectFleetError(res, 409, 'unit does not exist and options field empty');
    expectFleetError(await w.getUnit('YYY.service'), 404, 'unit does not exist');
  });

  it('§12.12 PUT /units/XXX.service with body name YYY.service → 400; no state change', async () => {
    await create('XXX.service');
    const res = await w.putUnit('XXX.service', { name: 'YYY.service', desiredState: 'loaded' });
    expectFleetError(
      res,
      400,
      'name in URL "XXX.service" differs from unit name in request body "YYY.service"',
    );
    expect(await desiredStateOf('XXX.service')).toBe('inactive');
  });

  it('§12.13 PUT {"desiredState":"loaded"} without a name → 204 (name taken from the path)', async () => {
    await create('XXX.service');
    expectNoContent(await w.putUnit('XXX.service', { desiredState: 'loaded' }), 204);
    expect(await desiredStateOf('XXX.service')).toBe('loaded');
  });

  it('§12.14 existing template XXX@.service: PUT desiredState launched → 400; stays inactive', async () => {
    await create('XXX@.service');
    expectFleetError(
      await w.putUnit('XXX@.service', { desiredState: 'launched' }),
      400,
      'cannot activate template "XXX@.service"',
    );
    expect(await desiredStateOf('XXX@.service')).toBe('inactive');
  });

  it('§12.30 PUT {"options":O} (absent) → 201, no Content-Type, empty body; GET shows desiredState inactive', async () => {
    expectNoContent(await w.putUnit('foo.service', { options: O }), 201);
    expectJson(
      await w.getUnit('foo.service'),
      '{"currentState":"inactive","desiredState":"inactive","name":"foo.service","options":[{"name":"ExecStart","section":"Service","value":"/bin/true"}]}',
    );
  });

  it('§12.31 the same request again (identical options, no desiredState) → 409 must provide DesiredState', async () => {
    await create('foo.service');
    expectFleetError(
      await w.putUnit('foo.service', { options: O }),
      409,
      'must provide DesiredState to update existing unit',
    );
    // errors.md: `{}` and `{"desiredState":""}` on an existing unit give the same 409.
    expectFleetError(
      await w.putUnit('foo.service', {}),
      409,
      'must provide DesiredState to update existing unit',
    );
    expectFleetError(
      await w.putUnit('foo.service', { desiredState: '' }),
      409,
      'must provide DesiredState to update existing unit',
    );
  });

  it('§12.32 {"desiredState":"loaded","options":O} with identical options → 204', async () => {
    await create('foo.service');
    expectNoContent(await w.putUnit('foo.service', { desiredState: 'loaded', options: O }), 204);
    expect(await desiredStateOf('foo.service')).toBe('loaded');
  });

  it('§12.33 {"desiredState":"launched","options":<different>} → 201; GET shows the new options and launched', async () => {
    await create('foo.service');
    expectNoContent(await w.putUnit('foo.service', { desiredState: 'launched', options: OTHER }), 201);
    expectJson(
      await w.getUnit('foo.service'),
      unitBody({ name: 'foo.service', currentState: 'inactive', desiredState: 'launched', options: OTHER }),
    );
  });

  it('§12.34 {"options":<different again>} → 201; desiredState reset to inactive', async () => {
    await create('foo.service');
    await w.putUnit('foo.service', { desiredState: 'launched', options: OTHER });
    expectNoContent(await w.putUnit('foo.service', { options: OTHER_AGAIN }), 201);
    expectJson(
      await w.getUnit('foo.service'),
      unitBody({
        name: 'foo.service',
        currentState: 'inactive',
        desiredState: 'inactive',
        options: OTHER_AGAIN,
      }),
    );
  });

  it('§12.35 new unit with desiredState bogus → 500 {"error":{"code":500,"message":""}}; nothing created', async () => {
    const res = await w.putUnit('foo.service', { desiredState: 'bogus', options: O });
    expectFleetError(res, 500, '');
    expect(res.body).toBe(errorBody(500, ''));
    expectFleetError(await w.getUnit('foo.service'), 404, 'unit does not exist');
  });

  it('§12.36 existing unit, {"desiredState":"bogus"} → 204; then GET, PUT, DELETE give 500 and the list skips it (faithful)', async () => {
    await create('ok.service');
    await create('foo.service');
    expectNoContent(await w.putUnit('foo.service', { desiredState: 'bogus' }), 204);
    // §13.1 (etcd): the stored value cannot be parsed on any later read.
    expectFleetError(await w.getUnit('foo.service'), 500, '');
    expectFleetError(await w.putUnit('foo.service', { desiredState: 'inactive' }), 500, '');
    expectFleetError(await w.deleteUnit('foo.service'), 500, '');
    const page = bodyOf<{ units: { name: string }[] }>(await w.get('units'));
    expect(page.units.map((u) => u.name)).toEqual(['ok.service']);
  });

  it('§12.41 template created launched → 201 (no check on create); later loaded → 400; inactive → 204', async () => {
    expectNoContent(await w.putUnit('tmpl@.service', { desiredState: 'launched', options: O }), 201);
    expect(await desiredStateOf('tmpl@.service')).toBe('launched');
    expectFleetError(
      await w.putUnit('tmpl@.service', { desiredState: 'loaded' }),
      400,
      'cannot activate template "tmpl@.service"',
    );
    expectNoContent(await w.putUnit('tmpl@.service', { desiredState: 'inactive' }), 204);
    expect(await desiredStateOf('tmpl@.service')).toBe('inactive');
  });

  it('§12.42 PUT tmpl@1.service {"desiredState":"launched"} (instance absent, template present) → 409', async () => {
    await create('tmpl@.service');
    expectFleetError(
      await w.putUnit('tmpl@1.service', { desiredState: 'launched' }),
      409,
      'unit does not exist and options field empty',
    );
    expectFleetError(await w.getUnit('tmpl@1.service'), 404, 'unit does not exist');
  });

  it('§12.43 create with Global=true + MachineID=abc → 400; replacing an existing unit with them → 201', async () => {
    const bad = [
      { section: 'X-Fleet', name: 'Global', value: 'true' },
      { section: 'X-Fleet', name: 'MachineID', value: 'abc' },
    ];
    expectFleetError(
      await w.putUnit('g.service', { options: bad }),
      400,
      'MachineID cannot be used with Global',
    );
    expectFleetError(await w.getUnit('g.service'), 404, 'unit does not exist');
    await create('g.service');
    expectNoContent(await w.putUnit('g.service', { options: bad }), 201);
    // Now a global unit: GET /units/{name} leaves currentState out (§2.2, §4.1).
    expectJson(
      await w.getUnit('g.service'),
      unitBody({ name: 'g.service', desiredState: 'inactive', options: bad }),
    );
  });

  it('§12.45 extra body fields (currentState, machineID, unknown keys) are ignored → 201', async () => {
    const res = await w.putUnit('foo.service', {
      currentState: 'launched',
      machineID: 'XXX',
      bogusField: { nested: true },
      options: O,
    });
    expectNoContent(res, 201);
    expectJson(
      await w.getUnit('foo.service'),
      unitBody({ name: 'foo.service', currentState: 'inactive', desiredState: 'inactive', options: O }),
    );
  });

  it('§12.46 {"options":null,"desiredState":"launched"} on an existing unit → 204', async () => {
    await create('foo.service');
    expectNoContent(await w.putUnit('foo.service', { options: null, desiredState: 'launched' }), 204);
    expect(await desiredStateOf('foo.service')).toBe('launched');
    // errors.md: an empty options list is also "no options" on an existing unit.
    expectNoContent(await w.putUnit('foo.service', { options: [], desiredState: 'loaded' }), 204);
  });

  it('§12.47 [Service A, Unit B, Service C] then [Service A, Service C, Unit B] + desiredState → 204 (same serialization)', async () => {
    const [a, b, c] = [
      { section: 'Service', name: 'A', value: '1' },
      { section: 'Unit', name: 'B', value: '2' },
      { section: 'Service', name: 'C', value: '3' },
    ];
    const first = [a, b, c];
    const second = [a, c, b];
    expectNoContent(await w.putUnit('foo.service', { options: first }), 201);
    expectNoContent(await w.putUnit('foo.service', { options: second, desiredState: 'loaded' }), 204);
    // §7.3: GET returns the options re-parsed from the stored text, grouped by section.
    expectJson(
      await w.getUnit('foo.service'),
      unitBody({ name: 'foo.service', currentState: 'inactive', desiredState: 'loaded', options: second }),
    );
  });

  it('§12.47 (errors.md) an extra empty-valued option makes the contents different → 201', async () => {
    await create('chg.service', { desiredState: 'launched', options: OTHER_AGAIN });
    const res = await w.putUnit('chg.service', {
      desiredState: 'launched',
      options: [...OTHER_AGAIN, { section: 'Unit', name: 'Description', value: '' }],
    });
    expectNoContent(res, 201);
  });
});
