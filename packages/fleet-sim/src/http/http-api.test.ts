import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { errorBody, get, JSON_HEADER, O, put, raw } from '../test-helpers/raw-http.js';

let sim: FleetSim;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(0);
  sim = await startFleetSim({
    clock,
    machines: [
      { id: 'XXX', primaryIP: '' },
      { id: 'YYY', primaryIP: '1.2.3.4', metadata: { ping: 'pong' } },
    ],
  });
});
afterEach(async () => {
  await sim.close();
});

describe('fleet v1 HTTP API (wire format)', () => {
  it('§12.29/30: empty lists are {}, create is 201 without Content-Type, GET shows inactive', async () => {
    const empty = await get(sim, '/units');
    expect(empty.status).toBe(200);
    expect(empty.body).toBe('{}');
    expect(empty.headers['content-type']).toBe('application/json');
    expect(empty.headers.server).toBe('fleetd/v1.0.0');
    expect((await get(sim, '/state')).body).toBe('{}');
    const created = await put(sim, 'foo.service', { options: O });
    expect(created.status).toBe(201);
    expect(created.body).toBe('');
    expect(created.headers['content-type']).toBeUndefined();
    const unit = await get(sim, '/units/foo.service');
    expect(unit.body).toBe(
      '{"currentState":"inactive","desiredState":"inactive","name":"foo.service","options":[{"name":"ExecStart","section":"Service","value":"/bin/true"}]}',
    );
  });

  it('§12.31–34: the PUT decision procedure (409, 204, 201 replace, reset to inactive)', async () => {
    await put(sim, 'foo.service', { options: O });
    const again = await put(sim, 'foo.service', { options: O });
    expect(again.status).toBe(409);
    expect(again.body).toBe(errorBody(409, 'must provide DesiredState to update existing unit'));
    const same = await put(sim, 'foo.service', { desiredState: 'loaded', options: O });
    expect(same.status).toBe(204);
    expect(same.headers['content-type']).toBeUndefined();
    const other = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 1' }];
    expect((await put(sim, 'foo.service', { desiredState: 'launched', options: other })).status).toBe(201);
    expect(JSON.parse((await get(sim, '/units/foo.service')).body)).toMatchObject({
      desiredState: 'launched',
      options: [{ value: '/bin/sleep 1' }],
    });
    const third = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2' }];
    expect((await put(sim, 'foo.service', { options: third })).status).toBe(201);
    expect(JSON.parse((await get(sim, '/units/foo.service')).body).desiredState).toBe('inactive');
  });

  it('§12.9–14: state updates, name rules on the body, templates', async () => {
    await put(sim, 'XXX.service', { options: O });
    expect((await put(sim, 'XXX.service', { name: 'XXX.service', desiredState: 'launched' })).status).toBe(
      204,
    );
    expect((await put(sim, 'YYY.service', { desiredState: 'loaded', options: [] })).status).toBe(409);
    const differs = await put(sim, 'XXX.service', { name: 'YYY.service', desiredState: 'loaded' });
    expect(differs.body).toBe(
      errorBody(400, 'name in URL "XXX.service" differs from unit name in request body "YYY.service"'),
    );
    expect((await put(sim, 'XXX.service', { desiredState: 'loaded' })).status).toBe(204);
    await put(sim, 'XXX@.service', { options: O });
    const tmpl = await put(sim, 'XXX@.service', { desiredState: 'launched' });
    expect(tmpl.body).toBe(errorBody(400, 'cannot activate template "XXX@.service"'));
    expect((await put(sim, 'XXX@.service', { desiredState: 'inactive' })).status).toBe(204);
    expect((await put(sim, 'tmpl@.service', { desiredState: 'launched', options: O })).status).toBe(201);
    expect((await put(sim, 'XXX@1.service', { desiredState: 'launched' })).body).toBe(
      errorBody(409, 'unit does not exist and options field empty'),
    );
  });

  it('§12.15/16/37: Content-Type rules', async () => {
    const none = await raw(sim, {
      method: 'PUT',
      path: '/fleet/v1/units/foo.service',
      body: JSON.stringify({ options: O }),
    });
    expect(none.body).toBe(errorBody(415, 'expected 1 Content-Type, got 0'));
    const xml = await raw(sim, {
      method: 'PUT',
      path: '/fleet/v1/units/foo.service',
      headers: [['Content-Type', 'application/xml']],
      body: '{}',
    });
    expect(xml.body).toBe(errorBody(415, 'only acceptable Content-Type is application/json'));
    const two = await raw(sim, {
      method: 'PUT',
      path: '/fleet/v1/units/foo.service',
      headers: [...JSON_HEADER, ...JSON_HEADER],
      body: JSON.stringify({ options: O }),
    });
    expect(two.body).toBe(errorBody(415, 'expected 1 Content-Type, got 2'));
    const q = await raw(sim, {
      method: 'PUT',
      path: '/fleet/v1/units/foo.service',
      headers: [['Content-Type', 'application/json; quality=0.9']],
      body: JSON.stringify({ options: O }),
    });
    expect(q.status).toBe(201);
  });

  it('§12.38 and errors.md: Go decoder messages', async () => {
    const cases: [string, string][] = [
      ['', 'unable to decode body: EOF'],
      ['not json', "unable to decode body: invalid character 'o' in literal null (expecting 'u')"],
      ['{"desiredState": "launched", "options": [', 'unable to decode body: unexpected EOF'],
      ['[]', 'unable to decode body: json: cannot unmarshal array into Go value of type schema.Unit'],
      [
        '{"desiredState": 5}',
        'unable to decode body: json: cannot unmarshal number into Go struct field Unit.desiredState of type string',
      ],
    ];
    for (const [body, message] of cases)
      expect((await put(sim, 'bad.service', body)).body).toBe(errorBody(400, message));
    const trailing = await put(
      sim,
      'bad.service',
      `${JSON.stringify({ desiredState: 'launched', options: O })} trailing`,
    );
    expect(trailing.status).toBe(201);
  });

  it('§12.39/40/28: unit name validation on PUT only', async () => {
    expect((await put(sim, 'new.foo', { options: O })).body).toBe(errorBody(400, 'invalid unit type: "foo"'));
    expect((await put(sim, 'x@1.mount', { options: O })).body).toBe(
      errorBody(400, 'invalid unit type for template: "mount"'),
    );
    expect((await put(sim, 'a b.service', { options: O })).body).toBe(
      errorBody(400, "invalid character ' ' in unit name"),
    );
    expect((await put(sim, `${'a'.repeat(250)}.service`, { options: O })).body).toBe(
      errorBody(400, 'unit name exceeds maximum length (256)'),
    );
    expect((await put(sim, '.service', { options: O })).status).toBe(201);
    expect((await put(sim, 'foo@bar@baz.service', { options: O })).status).toBe(201);
    expect((await get(sim, '/units/foo')).body).toBe(errorBody(404, 'unit does not exist'));
    expect((await raw(sim, { method: 'DELETE', path: '/fleet/v1/units/foo.bar' })).body).toBe(
      errorBody(404, 'unit does not exist'),
    );
  });

  it('§12.35/36 and §13.1: invalid desiredState — 500 on create, poisoning on update (faithful)', async () => {
    const created = await put(sim, 'ds-new.service', { desiredState: 'running', options: O });
    expect(created.body).toBe(errorBody(500, ''));
    expect((await get(sim, '/units/ds-new.service')).status).toBe(404);
    await put(sim, 'ds-ok.service', { desiredState: 'inactive', options: O });
    await put(sim, 'ok.service', { options: O });
    expect((await put(sim, 'ds-ok.service', { desiredState: 'running' })).status).toBe(204);
    expect((await get(sim, '/units/ds-ok.service')).body).toBe(errorBody(500, ''));
    expect((await put(sim, 'ds-ok.service', { desiredState: 'inactive' })).body).toBe(errorBody(500, ''));
    expect((await raw(sim, { method: 'DELETE', path: '/fleet/v1/units/ds-ok.service' })).body).toBe(
      errorBody(500, ''),
    );
    const list = JSON.parse((await get(sim, '/units')).body) as { units: { name: string }[] };
    expect(list.units.map((u) => u.name)).toEqual(['ok.service']);
  });

  it('§12.43–47: replace skips validation; extra fields, null options, equal serialization', async () => {
    const bad = [
      { section: 'X-Fleet', name: 'Global', value: 'true' },
      { section: 'X-Fleet', name: 'MachineID', value: 'abc' },
    ];
    expect((await put(sim, 'g.service', { options: bad })).body).toBe(
      errorBody(400, 'MachineID cannot be used with Global'),
    );
    await put(sim, 'g.service', { options: O });
    expect((await put(sim, 'g.service', { options: bad })).status).toBe(201);
    expect(
      (await put(sim, 'x.service', { currentState: 'launched', machineID: 'm', bogus: 1, options: O }))
        .status,
    ).toBe(201);
    expect((await put(sim, 'x.service', { options: null, desiredState: 'launched' })).status).toBe(204);
    const a = [
      { section: 'Service', name: 'A', value: '1' },
      { section: 'Unit', name: 'B', value: '2' },
      { section: 'Service', name: 'C', value: '3' },
    ];
    await put(sim, 'ord.service', { options: a });
    expect(
      (await put(sim, 'ord.service', { desiredState: 'loaded', options: [a[0], a[2], a[1]] })).status,
    ).toBe(204);
    expect(
      (
        await put(sim, 'long.service', {
          options: [{ section: 'Service', name: 'X', value: 'x'.repeat(2100) }],
        })
      ).body,
    ).toBe(errorBody(400, 'line too long (max 2048 bytes)'));
  });

  it('§12.17/56/57: /state sorting, filters, single item', async () => {
    await put(sim, 'a.service', {
      desiredState: 'launched',
      options: [{ section: 'X-Fleet', name: 'Global', value: 'true' }],
    });
    await clock.advance(6000);
    const all = JSON.parse((await get(sim, '/state')).body) as { states: { machineID: string }[] };
    expect(all.states.map((s) => s.machineID)).toEqual(['XXX', 'YYY']);
    expect(JSON.parse((await get(sim, '/state?unitName=a.service&machineID=YYY')).body).states).toHaveLength(
      1,
    );
    expect((await get(sim, '/state?machineID=zzz')).body).toBe('{}');
    expect((await get(sim, '/state?unitName=nope')).body).toBe('{}');
    const one = await get(sim, '/state/a.service');
    expect(JSON.parse(one.body)).toMatchObject({ name: 'a.service', machineID: 'XXX' });
  });

  it('§12.58: GET /state/{name} without a state closes the connection (faithful)', async () => {
    await expect(get(sim, '/state/nope.service')).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('§12.18–21/54/55: machines and metadata PATCH', async () => {
    expect((await get(sim, '/machines')).body).toBe(
      '{"machines":[{"id":"XXX"},{"id":"YYY","metadata":{"ping":"pong"},"primaryIP":"1.2.3.4"}]}',
    );
    const patch = (body: string) => raw(sim, { method: 'PATCH', path: '/fleet/v1/machines', body });
    const ok = await patch(
      '[{"op":"add","path":"/XXX/metadata/foo","value":{"value":"bar"}},{"op":"replace","path":"/YYY/metadata/ping","value":{"Value":"splat"}}]',
    );
    expect(ok.status).toBe(204);
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.body).toBe('');
    expect((await get(sim, '/machines')).body).toBe(
      '{"machines":[{"id":"XXX","metadata":{"foo":"bar"}},{"id":"YYY","metadata":{"ping":"splat"},"primaryIP":"1.2.3.4"}]}',
    );
    expect(
      (
        await patch(
          '[{"op":"remove","path":"/XXX/metadata/foo"},{"op":"remove","path":"/YYY/metadata/ping"}]',
        )
      ).status,
    ).toBe(204);
    expect((await get(sim, '/machines')).body).toBe(
      '{"machines":[{"id":"XXX"},{"id":"YYY","primaryIP":"1.2.3.4"}]}',
    );
    expect((await patch('[{"op":"noop","path":"/XXX/metadata/foo"}]')).body).toBe(
      errorBody(400, 'invalid op: expect add, remove, or replace'),
    );
    expect((await patch('[{"op":"add","path":"/XXX/foo","value":{"value":"x"}}]')).body).toBe(
      errorBody(400, 'machine metadata path invalid'),
    );
    expect((await patch('[{"op":"add","path":"/XXX/metadata/foo"}]')).body).toBe(
      errorBody(400, 'invalid value: add and replace require a value'),
    );
    expect((await patch('{"op": "add"}')).body).toBe(
      errorBody(400, 'json: cannot unmarshal object into Go value of type []api.machineMetadataOp'),
    );
    expect((await patch('[{"op":"add","path":"/m2/metadata/foo","value":"bar"}]')).status).toBe(400);
    expect((await patch('[]')).status).toBe(204);
    const partial = await patch('[{"op":"add","path":"/XXX/metadata/a","value":{"value":"1"}},{"op":"bad"}]');
    expect(partial.status).toBe(400);
    expect((await get(sim, '/machines')).body).not.toContain('"a":"1"');
  });

  it('§12.22/23/51/52/53: routing, methods, discovery, alias', async () => {
    for (const path of ['/', '/v1-alpha', '/fleet/v1']) {
      const r = await raw(sim, { path });
      expect([r.status, r.body, r.headers.server]).toEqual([405, errorBody(405, ''), 'fleetd/v1.0.0']);
    }
    for (const path of [
      '/bogus',
      '/fleet/v1/',
      '/fleet/v1/units/',
      '/fleet/v1/machines/m1',
      '/fleet/v1/units/foo%2Fbar.service',
    ]) {
      expect((await raw(sim, { path })).body).toBe(errorBody(404, ''));
    }
    const disc = await get(sim, '/discovery');
    expect(disc.status).toBe(200);
    expect(JSON.parse(disc.body).id).toBe('fleet:v1');
    expect((await raw(sim, { method: 'POST', path: '/fleet/v1/discovery' })).body).toBe(
      errorBody(400, 'only HTTP GET supported against this resource'),
    );
    const methods: [string, string, string][] = [
      ['POST', '/fleet/v1/units', 'only GET supported against this resource'],
      ['DELETE', '/fleet/v1/units', 'only GET supported against this resource'],
      ['POST', '/fleet/v1/units/x.service', 'only GET, PUT and DELETE supported against this resource'],
      ['PUT', '/fleet/v1/state/x', 'only GET supported against this resource'],
      ['POST', '/fleet/v1/machines', 'only GET and PATCH supported against this resource'],
    ];
    for (const [method, path, message] of methods)
      expect((await raw(sim, { method, path })).body).toBe(errorBody(405, message));
    const head = await raw(sim, { method: 'HEAD', path: '/fleet/v1/units' });
    expect([head.status, head.body]).toEqual([405, '']);
    await put(sim, 'tmpl@.service', { options: O });
    expect((await raw(sim, { path: '/fleet/v1/units/tmpl%40.service' })).status).toBe(200);
    expect((await raw(sim, { path: '/v1-alpha/units/tmpl%40.service' })).body).toBe(
      (await get(sim, '/units/tmpl@.service')).body,
    );
    const redirect = await raw(sim, { path: '/fleet//v1/units' });
    expect([redirect.status, redirect.headers.location]).toEqual([301, '/fleet/v1/units']);
  });

  it('§12.2/25/26/48/49/50: pagination tokens and slicing', async () => {
    expect((await get(sim, '/units?nextPageToken=EwBMLg==')).body).toBe(
      errorBody(400, 'token limit must be 100'),
    );
    expect((await get(sim, '/units?nextPageToken=garbage!')).body).toBe(
      errorBody(400, 'illegal base64 data at input byte 7'),
    );
    expect((await get(sim, '/units?nextPageToken=')).body).toBe(errorBody(400, 'EOF'));
    expect((await get(sim, '/units?nextPageToken=ZAAAAA==')).body).toBe(
      errorBody(400, 'token page must be greater than zero'),
    );
    expect((await get(sim, '/units?nextPageToken=ZAABAA==&nextPageToken=ZAABAA==')).body).toBe(
      errorBody(400, 'too many values for page token'),
    );
    expect((await get(sim, '/machines?nextPageToken=xyz')).body).toBe(
      errorBody(400, 'illegal base64 data at input byte 0'),
    );
    expect((await get(sim, '/units?nextPageToken=ZABMLg==')).body).toBe('{}');
  });
});

describe('token_limit 2', () => {
  it('§12.48–50: trailing token on exact multiples, {} past the end, limit mismatch', async () => {
    const small = await startFleetSim({
      clock: new ManualClock(0),
      tokenLimit: 2,
      machines: [{ id: 'm1' }, { id: 'm2' }],
    });
    try {
      for (const n of ['a', 'b', 'c']) await put(small, `${n}.service`, { options: O });
      const p1 = JSON.parse((await get(small, '/units')).body);
      expect(p1.units).toHaveLength(2);
      expect(p1.nextPageToken).toBe('AgACAA==');
      const p2 = JSON.parse((await get(small, '/units?nextPageToken=AgACAA%3D%3D')).body);
      expect(p2.units.map((u: { name: string }) => u.name)).toEqual(['c.service']);
      expect(p2.nextPageToken).toBeUndefined();
      expect((await get(small, '/units?nextPageToken=AgADAA==')).body).toBe('{}');
      const machines = await get(small, '/machines');
      expect(machines.body).toBe(
        '{"machines":[{"id":"m1","primaryIP":"127.0.8.101"},{"id":"m2","primaryIP":"127.0.8.102"}],"nextPageToken":"AgACAA=="}',
      );
      expect((await get(small, '/machines?nextPageToken=AgACAA==')).body).toBe('{}');
      expect((await get(small, '/units?nextPageToken=ZABMLg==')).body).toBe(
        errorBody(400, 'token limit must be 2'),
      );
      expect((await get(small, '/units?nextPageToken=AgAAAA==')).body).toBe(
        errorBody(400, 'token page must be greater than zero'),
      );
      expect((await get(small, '/units?nextPageToken=AgACAA')).body).toBe(
        errorBody(400, 'illegal base64 data at input byte 4'),
      );
    } finally {
      await small.close();
    }
  });
});
