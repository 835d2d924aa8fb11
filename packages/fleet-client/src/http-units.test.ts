import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetConflictError, FleetNotFoundError, FleetValidationError } from './errors.js';
import { unitHash } from './hash.js';
import { createFleetClient } from './http-fleet-api.js';
import {
  API,
  fleetEmpty,
  fleetError,
  fleetJson,
  fleetPage,
  MSW_ENDPOINT,
} from './test-helpers/fleet-responses.js';
import { useMswServer } from './test-helpers/msw-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';
import type { Unit, UnitOption } from './types.js';
import { goSystemdDeserialize } from './unit-file-go-lexer.js';
import { serializeUnitFile } from './unit-file-serialize.js';

const server = useMswServer();

const O: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];

function client() {
  return createFleetClient({ endpoint: MSW_ENDPOINT, clock: new RecordingClock(), retry: { limit: 2 } });
}

/** Records every request the handlers see: method, pathname, raw query, body text, content-type. */
function recorder() {
  const seen: { method: string; path: string; query: string; body: string; contentType: string | null }[] =
    [];
  return {
    seen,
    async record(request: Request) {
      const url = new URL(request.url);
      seen.push({
        method: request.method,
        path: url.pathname,
        query: url.search,
        body: await request.text(),
        contentType: request.headers.get('content-type'),
      });
    },
  };
}

describe('listUnits / iterateUnits', () => {
  it('reads `{}` as no units', async () => {
    server.use(http.get(`${API}/units`, () => fleetJson({})));
    await expect(client().listUnits()).resolves.toEqual([]);
  });

  it('follows nextPageToken (percent-encoding its `=`) and stops at the trailing empty page', async () => {
    const rec = recorder();
    server.use(
      http.get(`${API}/units`, async ({ request }) => {
        await rec.record(request);
        const token = new URL(request.url).searchParams.get('nextPageToken');
        if (token === null)
          return fleetPage('units', [{ name: 'a.service' }, { name: 'b.service' }], 'AgACAA==');
        if (token === 'AgACAA==')
          return fleetPage('units', [{ name: 'c.service' }, { name: 'd.service' }], 'AgADAA==');
        if (token === 'AgADAA==') return fleetJson({});
        return fleetError(400, 'token page must be greater than zero');
      }),
    );
    const units = await client().listUnits();
    expect(units.map((u) => u.name)).toEqual(['a.service', 'b.service', 'c.service', 'd.service']);
    expect(rec.seen.map((r) => r.query)).toEqual([
      '',
      '?nextPageToken=AgACAA%3D%3D',
      '?nextPageToken=AgADAA%3D%3D',
    ]);
  });

  it('stops on an empty-string token and dedupes units repeated across pages (first wins)', async () => {
    server.use(
      http.get(`${API}/units`, ({ request }) => {
        const token = new URL(request.url).searchParams.get('nextPageToken');
        if (token === null)
          return fleetPage('units', [{ name: 'a.service', desiredState: 'inactive' }], 'ZAACAA==');
        return fleetJson({
          units: [{ name: 'a.service', desiredState: 'launched' }, { name: 'b.service' }],
          nextPageToken: '',
        });
      }),
    );
    const units = await client().listUnits();
    expect(units).toEqual([{ name: 'a.service', desiredState: 'inactive' }, { name: 'b.service' }]);
  });

  it('keeps omitted fields absent and fills omitted option fields with ""', async () => {
    const wire = {
      units: [
        {
          currentState: 'launched',
          desiredState: 'launched',
          machineID: 'm1',
          name: 'web@1.service',
          options: [{ name: 'ExecStart', section: 'Service', value: '/usr/bin/web' }, {}],
        },
        { name: 'g.service', desiredState: 'launched', currentState: 'inactive' },
      ],
    };
    server.use(http.get(`${API}/units`, () => fleetJson(wire)));
    const units = await client().listUnits();
    expect(units).toEqual<Unit[]>([
      {
        name: 'web@1.service',
        currentState: 'launched',
        desiredState: 'launched',
        machineID: 'm1',
        options: [
          { section: 'Service', name: 'ExecStart', value: '/usr/bin/web' },
          { section: '', name: '', value: '' },
        ],
      },
      { name: 'g.service', desiredState: 'launched', currentState: 'inactive' },
    ]);
    expect('options' in (units[1] as Unit)).toBe(false);
  });

  it('iterates lazily: the second page is fetched only when the first is consumed', async () => {
    const rec = recorder();
    server.use(
      http.get(`${API}/units`, async ({ request }) => {
        await rec.record(request);
        const token = new URL(request.url).searchParams.get('nextPageToken');
        return token === null
          ? fleetPage('units', [{ name: 'a.service' }], 'AgACAA==')
          : fleetPage('units', [{ name: 'b.service' }]);
      }),
    );
    const iterator = client().iterateUnits()[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ name: 'a.service' });
    expect(rec.seen).toHaveLength(1);
    expect((await iterator.next()).value).toEqual({ name: 'b.service' });
    expect((await iterator.next()).done).toBe(true);
    expect(rec.seen).toHaveLength(2);
  });
});

describe('unix endpoints under msw', () => {
  it('requests go to the cosmetic host http://domain-sock, so msw handlers can serve them', async () => {
    server.use(
      http.get('http://domain-sock/fleet/v1/units', () => fleetPage('units', [{ name: 'a.service' }])),
    );
    const api = createFleetClient({
      endpoint: 'unix:///nonexistent/fleet.sock',
      clock: new RecordingClock(),
    });
    await expect(api.listUnits()).resolves.toEqual([{ name: 'a.service' }]);
  });
});

describe('getUnit', () => {
  it('percent-encodes the name in the path and returns the unit', async () => {
    const rec = recorder();
    server.use(
      http.get(`${API}/units/:name`, async ({ request, params }) => {
        await rec.record(request);
        return fleetJson({ desiredState: 'inactive', name: params.name, options: O });
      }),
    );
    const unit = await client().getUnit('tmpl@1.service');
    expect(unit).toEqual({ name: 'tmpl@1.service', desiredState: 'inactive', options: O });
    expect(rec.seen[0]?.path).toBe('/fleet/v1/units/tmpl%401.service');
  });

  it('returns undefined on fleet 404 `unit does not exist`', async () => {
    server.use(http.get(`${API}/units/:name`, () => fleetError(404, 'unit does not exist')));
    await expect(client().getUnit('missing.service')).resolves.toBeUndefined();
  });

  it('a route-level 404 (no message) is "absent" only for a name fleet cannot route', async () => {
    // fleetd answers `{"error":{"code":404,"message":""}}` for paths its mux does not know.
    server.use(http.get(`${API}/units/*`, () => fleetError(404, '')));
    await expect(client().getUnit('a/b.service')).resolves.toBeUndefined();
    const error = await client()
      .getUnit('web@1.service')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetNotFoundError);
    expect((error as Error).message).toBe(
      'GET /fleet/v1/units/web@1.service failed (404) (fleet has no such API path: check the endpoint’s path prefix)',
    );
  });

  it('destroyUnit does not take a route-level 404 for "already gone", even with ignoreNotFound', async () => {
    server.use(http.delete(`${API}/units/*`, () => fleetError(404, '')));
    await expect(client().destroyUnit('a/b.service', { ignoreNotFound: true })).resolves.toBe(false);
    await expect(client().destroyUnit('web@1.service', { ignoreNotFound: true })).rejects.toMatchObject({
      code: 'ERR_FLEET_NOT_FOUND',
      status: 404,
    });
  });

  it('never calls GET /state/{name}', async () => {
    // onUnhandledRequest: 'error' would fail any call to a route without a handler.
    server.use(http.get(`${API}/units/:name`, () => fleetError(404, 'unit does not exist')));
    await client().getUnit('x.service');
  });
});

describe('createUnit', () => {
  it('sends exactly {name, options} with Content-Type application/json; 201 → contentsWritten', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(201);
      }),
    );
    const extra = { section: 'Unit', name: 'Description', value: 'web %i', extra: 'ignored' } as UnitOption;
    await expect(client().createUnit({ name: 'web@1.service', options: [...O, extra] })).resolves.toEqual({
      contentsWritten: true,
    });
    expect(rec.seen).toEqual([
      {
        method: 'PUT',
        path: '/fleet/v1/units/web%401.service',
        query: '',
        contentType: 'application/json',
        body: JSON.stringify({
          name: 'web@1.service',
          options: [...O, { section: 'Unit', name: 'Description', value: 'web %i' }],
        }),
      },
    ]);
  });

  it('sends desiredState when given; 204 (identical contents) → contentsWritten false', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(204);
      }),
    );
    const result = await client().createUnit({ name: 'a.service', options: O, desiredState: 'launched' });
    expect(result).toEqual({ contentsWritten: false });
    expect(rec.seen[0]?.body).toBe(
      JSON.stringify({ name: 'a.service', options: O, desiredState: 'launched' }),
    );
  });

  it('refuses invalid names, options and desiredState locally, with every problem, sending nothing', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(201);
      }),
    );
    const bad = [
      { section: 'X-Fleet', name: 'Global', value: 'true' },
      { section: 'X-Fleet', name: 'MachineID', value: 'abc' },
    ];
    const error = await client()
      .createUnit({ name: 'foo.bar', options: bad, desiredState: 'running' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetValidationError);
    const v = error as FleetValidationError;
    expect(v.code).toBe('ERR_FLEET_INVALID_UNIT');
    expect(v.problems.map((p) => [p.field, p.message.split(':')[0]])).toEqual([
      ['name', 'invalid unit type'],
      ['options', 'MachineID cannot be used with Global'],
      ['desiredState', 'invalid desiredState "running"'],
    ]);
    expect(v.message).toMatch(
      /^PUT \/fleet\/v1\/units\/foo\.bar refused before sending: invalid unit type: "bar"/,
    );
    expect(rec.seen).toEqual([]);
  });

  it('refuses an empty options list locally', async () => {
    const error = await client()
      .createUnit({ name: 'a.service', options: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).problems[0]?.field).toBe('options');
  });

  it('maps 409 to FleetConflictError with the operation in the message', async () => {
    server.use(
      http.put(`${API}/units/:name`, () => fleetError(409, 'unit does not exist and options field empty')),
    );
    const error = await client()
      .createUnit({ name: 'web@1.service', options: O })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetConflictError);
    expect((error as Error).message).toBe(
      'PUT /fleet/v1/units/web@1.service failed (409): unit does not exist and options field empty',
    );
  });
});

describe('createUnit: options are sent as fleet stores them (§7.3)', () => {
  const raw: UnitOption[] = [
    { section: 'Service', name: 'ExecStart', value: '  /bin/sleep 1000 ' },
    { section: 'Unit', name: 'Description', value: '\tweb ' },
    { section: 'Service', name: ' Restart', value: 'always  ' },
  ];
  const stored: UnitOption[] = [
    { section: 'Service', name: 'ExecStart', value: '/bin/sleep 1000' },
    { section: 'Service', name: 'Restart', value: 'always' },
    { section: 'Unit', name: 'Description', value: 'web' },
  ];

  it('sends the options grouped by section and trimmed', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(201);
      }),
    );
    await client().createUnit({ name: 'web@1.service', options: raw, desiredState: 'launched' });
    expect(JSON.parse(rec.seen[0]?.body ?? '')).toEqual({
      name: 'web@1.service',
      options: stored,
      desiredState: 'launched',
    });
  });

  it('validates what it sends: a requirement conflict hidden by whitespace is refused', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(201);
      }),
    );
    const options = [
      { section: 'X-Fleet', name: 'Conflicts', value: 'a*' },
      { section: 'X-Fleet', name: 'MachineOf', value: ' ab.service' },
    ];
    const error = await client()
      .createUnit({ name: 'x.service', options })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).problems.map((p) => p.message)).toEqual([
      'unresolvable requirements: peer "ab.service" matches conflict "a*"',
    ]);
    expect(rec.seen).toEqual([]);
  });

  it('re-PUTting the same options is a state update (204), not a replace that resets the unit', async () => {
    // fleet's etcd registry: keep the serialised text, re-parse it on read, and compare the
    // request's options with what was read back (api/units.go, registry/unit.go).
    const units = new Map<string, UnitOption[]>();
    server.use(
      http.put(`${API}/units/:name`, async ({ request, params }) => {
        const body = (await request.json()) as { options: UnitOption[] };
        const name = String(params.name);
        const existing = units.get(name);
        if (existing !== undefined && unitHash(existing) === unitHash(body.options)) return fleetEmpty(204);
        units.set(name, goSystemdDeserialize(serializeUnitFile(body.options)).options);
        return fleetEmpty(201);
      }),
    );
    const api = client();
    const request = { name: 'web@1.service', options: raw, desiredState: 'launched' as const };
    await expect(api.createUnit(request)).resolves.toEqual({ contentsWritten: true });
    await expect(api.createUnit(request)).resolves.toEqual({ contentsWritten: false });
    expect(units.get('web@1.service')).toEqual(stored);
  });
});

describe('setUnitTargetState', () => {
  it('sends exactly {desiredState, name} and expects 204', async () => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(204);
      }),
    );
    await client().setUnitTargetState('web@1.service', 'launched');
    expect(rec.seen).toEqual([
      {
        method: 'PUT',
        path: '/fleet/v1/units/web%401.service',
        query: '',
        contentType: 'application/json',
        body: '{"desiredState":"launched","name":"web@1.service"}',
      },
    ]);
  });

  it.each(['running', 'LAUNCHED', '', 'stopped'])('refuses desiredState %j locally', async (state) => {
    const rec = recorder();
    server.use(
      http.put(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(204);
      }),
    );
    const error = await client()
      .setUnitTargetState('a.service', state as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetValidationError);
    expect((error as FleetValidationError).problems[0]?.field).toBe('desiredState');
    expect(rec.seen).toEqual([]);
  });

  it('maps a template activation 400 to FleetRejectedError', async () => {
    server.use(
      http.put(`${API}/units/:name`, () => fleetError(400, 'cannot activate template "tpl@.service"')),
    );
    await expect(client().setUnitTargetState('tpl@.service', 'launched')).rejects.toMatchObject({
      code: 'ERR_FLEET_REJECTED',
      status: 400,
      fleetMessage: 'cannot activate template "tpl@.service"',
      method: 'PUT',
      path: '/fleet/v1/units/tpl@.service',
      unitName: 'tpl@.service',
    });
  });
});

describe('destroyUnit', () => {
  it('DELETEs and resolves true on 204', async () => {
    const rec = recorder();
    server.use(
      http.delete(`${API}/units/:name`, async ({ request }) => {
        await rec.record(request);
        return fleetEmpty(204);
      }),
    );
    await expect(client().destroyUnit('a@1.service')).resolves.toBe(true);
    expect(rec.seen.map((r) => [r.method, r.path, r.body])).toEqual([
      ['DELETE', '/fleet/v1/units/a%401.service', ''],
    ]);
  });

  it('throws FleetNotFoundError on 404, or resolves false with ignoreNotFound', async () => {
    server.use(http.delete(`${API}/units/:name`, () => fleetError(404, 'unit does not exist')));
    const error = await client()
      .destroyUnit('missing.service')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetNotFoundError);
    expect((error as Error).message).toBe(
      'DELETE /fleet/v1/units/missing.service failed (404): unit does not exist',
    );
    await expect(client().destroyUnit('missing.service', { ignoreNotFound: true })).resolves.toBe(false);
  });

  it('treats a 404 after a lost response as done with ignoreNotFound, and says so without it', async () => {
    let calls = 0;
    server.use(
      http.delete(`${API}/units/:name`, async () => {
        calls++;
        if (calls % 2 === 1) await delay('infinite'); // the first attempt gets no response: a timeout
        return fleetError(404, 'unit does not exist');
      }),
    );
    const api = createFleetClient({
      endpoint: MSW_ENDPOINT,
      clock: new RecordingClock(),
      timeout: { request: 50 },
    });
    await expect(api.destroyUnit('a.service', { ignoreNotFound: true })).resolves.toBe(true);
    expect(calls).toBe(2);
    const error = await api.destroyUnit('a.service').catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(FleetNotFoundError);
    expect((error as Error).message).toBe(
      'DELETE /fleet/v1/units/a.service failed (404): unit does not exist (2 attempts) (an earlier attempt got no response and may have deleted it)',
    );
  });
});
