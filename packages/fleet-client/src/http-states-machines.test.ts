import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FleetRejectedError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import { API, fleetError, fleetJson, fleetPage, MSW_ENDPOINT } from './test-helpers/fleet-responses.js';
import { useMswServer } from './test-helpers/msw-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

const server = useMswServer();

function client() {
  return createFleetClient({ endpoint: MSW_ENDPOINT, clock: new RecordingClock() });
}

const state = (name: string, machineID: string) => ({
  hash: '1c6fb6f3684bafb0c173d8b8b957ceff031180c1',
  machineID,
  name,
  systemdActiveState: 'active',
  systemdLoadState: 'loaded',
  systemdSubState: 'running',
});

describe('listUnitStates', () => {
  it('reads `{}` as no states', async () => {
    server.use(http.get(`${API}/state`, () => fleetJson({})));
    await expect(client().listUnitStates()).resolves.toEqual([]);
  });

  it('resends unitName and machineID with every page, including the trailing empty one', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${API}/state`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const token = url.searchParams.get('nextPageToken');
        if (token === null) return fleetPage('states', [state('web@1.service', 'm1')], 'AQACAA==');
        if (token === 'AQACAA==') return fleetPage('states', [state('web@1.service', 'm2')], 'AQADAA==');
        return fleetJson({});
      }),
    );
    const states = await client().listUnitStates({ unitName: 'web@1.service', machineID: 'm1' });
    expect(states).toEqual([state('web@1.service', 'm1'), state('web@1.service', 'm2')]);
    expect(queries).toEqual([
      '?unitName=web%401.service&machineID=m1',
      '?unitName=web%401.service&machineID=m1&nextPageToken=AQACAA%3D%3D',
      '?unitName=web%401.service&machineID=m1&nextPageToken=AQADAA%3D%3D',
    ]);
  });

  it('sends no filter parameters when none are given', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${API}/state`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return fleetJson({});
      }),
    );
    await client().listUnitStates({ unitName: '' });
    expect(queries).toEqual(['']);
  });

  it('dedupes states by (name, machineID) across pages and keeps omitted fields absent', async () => {
    server.use(
      http.get(`${API}/state`, ({ request }) => {
        const token = new URL(request.url).searchParams.get('nextPageToken');
        if (token === null)
          return fleetPage('states', [state('a.service', 'm1'), state('a.service', 'm2')], 'T==');
        return fleetPage('states', [state('a.service', 'm2'), { name: 'b.service', machineID: 'm1' }]);
      }),
    );
    const states = await client().listUnitStates();
    expect(states).toEqual([
      state('a.service', 'm1'),
      state('a.service', 'm2'),
      { name: 'b.service', machineID: 'm1' },
    ]);
  });

  it('maps a rejected token (400) to FleetRejectedError', async () => {
    server.use(http.get(`${API}/state`, () => fleetError(400, 'illegal base64 data at input byte 0')));
    const error = await client()
      .listUnitStates()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetRejectedError);
    expect((error as Error).message).toBe(
      'GET /fleet/v1/state failed (400): illegal base64 data at input byte 0',
    );
  });
});

describe('listMachines', () => {
  it('parses fleet’s exact body, with omitted metadata and primaryIP', async () => {
    server.use(
      http.get(
        `${API}/machines`,
        () =>
          new HttpResponse(
            '{"machines":[{"id":"XXX"},{"id":"YYY","metadata":{"ping":"pong"},"primaryIP":"1.2.3.4"}]}',
            {
              headers: { 'Content-Type': 'application/json', Server: 'fleetd/1.0.0' },
            },
          ),
      ),
    );
    await expect(client().listMachines()).resolves.toEqual([
      { id: 'XXX' },
      { id: 'YYY', metadata: { ping: 'pong' }, primaryIP: '1.2.3.4' },
    ]);
  });

  it('follows the token of an exactly full last page to the `{}` page', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${API}/machines`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        return url.searchParams.has('nextPageToken')
          ? fleetJson({})
          : fleetPage('machines', [{ id: 'm1' }, { id: 'm2' }], 'AgACAA==');
      }),
    );
    await expect(client().listMachines()).resolves.toEqual([{ id: 'm1' }, { id: 'm2' }]);
    expect(queries).toEqual(['', '?nextPageToken=AgACAA%3D%3D']);
  });
});

describe('patchMachineMetadata', () => {
  it('sends fleet’s op shape with the nested value object, expecting 204', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.patch(`${API}/machines`, async ({ request }) => {
        bodies.push(await request.json());
        // fleet's PATCH 204 carries Content-Type: application/json and no body
        return new HttpResponse(null, {
          status: 204,
          headers: { 'Content-Type': 'application/json', Server: 'fleetd/1.0.0' },
        });
      }),
    );
    await client().patchMachineMetadata([
      { op: 'add', machineID: 'XXX', key: 'foo', value: 'bar' },
      { op: 'replace', machineID: 'YYY', key: 'ping', value: 'splat' },
      { op: 'remove', machineID: 'XXX', key: 'old' },
    ]);
    expect(bodies).toEqual([
      [
        { op: 'add', path: '/XXX/metadata/foo', value: { value: 'bar' } },
        { op: 'replace', path: '/YYY/metadata/ping', value: { value: 'splat' } },
        { op: 'remove', path: '/XXX/metadata/old' },
      ],
    ]);
  });

  it('sends nothing for an empty change list', async () => {
    await client().patchMachineMetadata([]); // no handler: a request would fail the test
  });

  it('maps fleet’s 400 to FleetRejectedError', async () => {
    server.use(http.patch(`${API}/machines`, () => fleetError(400, 'machine metadata path invalid')));
    await expect(
      client().patchMachineMetadata([{ op: 'add', machineID: 'm', key: 'a b', value: 'x' }]),
    ).rejects.toMatchObject({
      code: 'ERR_FLEET_REJECTED',
      message: 'PATCH /fleet/v1/machines failed (400): machine metadata path invalid',
    });
  });
});

describe('serverVersion', () => {
  it('asks GET /machines once and caches the fleetd version', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/machines`, () => {
        calls++;
        return fleetJson({});
      }),
    );
    const api = client();
    await expect(api.serverVersion()).resolves.toBe('1.0.0');
    await expect(api.serverVersion()).resolves.toBe('1.0.0');
    expect(calls).toBe(1);
  });

  it('uses the first response already received instead of asking again', async () => {
    server.use(
      http.get(`${API}/units`, () => fleetJson({}, 200)),
      http.get(
        `${API}/state`,
        () =>
          new HttpResponse('{}', {
            headers: { 'Content-Type': 'application/json', Server: 'fleetd/0.11.8' },
          }),
      ),
    );
    const api = client();
    await api.listUnitStates();
    await api.listUnits();
    await expect(api.serverVersion()).resolves.toBe('0.11.8');
  });

  it('a proxy’s answer without fleetd’s header does not hide the version of later answers', async () => {
    let machines = 0;
    let units = 0;
    server.use(
      http.get(`${API}/units/:name`, () =>
        units++ === 0
          ? new HttpResponse('<html>502 Bad Gateway</html>', {
              status: 502,
              statusText: 'Bad Gateway',
              headers: { 'Content-Type': 'text/html', Server: 'nginx/1.25' },
            })
          : fleetError(404, 'unit does not exist'),
      ),
      http.get(`${API}/machines`, () => {
        machines++;
        return fleetJson({});
      }),
    );
    const api = createFleetClient({
      endpoint: MSW_ENDPOINT,
      clock: new RecordingClock(),
      retry: { limit: 0 },
    });
    await expect(api.getUnit('a.service')).rejects.toMatchObject({ code: 'ERR_FLEET_SERVER', status: 502 });
    await expect(api.getUnit('a.service')).resolves.toBeUndefined();
    await expect(api.serverVersion()).resolves.toBe('1.0.0');
    expect(machines).toBe(0);
  });

  it('is undefined when the Server header is not fleetd’s', async () => {
    server.use(
      http.get(
        `${API}/machines`,
        () =>
          new HttpResponse('{}', { headers: { 'Content-Type': 'application/json', Server: 'nginx/1.25' } }),
      ),
    );
    await expect(client().serverVersion()).resolves.toBeUndefined();
  });
});

describe('GET /state/{name} is never used', () => {
  it('no method of the client ever requests /state/<anything>', async () => {
    const paths: string[] = [];
    const record = ({ request }: { request: Request }) => {
      paths.push(`${request.method} ${new URL(request.url).pathname}`);
    };
    server.events.on('request:start', record);
    try {
      server.use(
        http.get(`${API}/units`, () => fleetPage('units', [{ name: 'a.service' }])),
        http.get(`${API}/units/:name`, () => fleetError(404, 'unit does not exist')),
        http.put(`${API}/units/:name`, () => new HttpResponse(null, { status: 204 })),
        http.delete(`${API}/units/:name`, () => new HttpResponse(null, { status: 204 })),
        http.get(`${API}/state`, () => fleetPage('states', [state('a.service', 'm1')])),
        http.get(`${API}/machines`, () => fleetPage('machines', [{ id: 'm1' }])),
        http.patch(`${API}/machines`, () => new HttpResponse(null, { status: 204 })),
      );
      const api = client();
      await api.listUnits();
      for await (const _unit of api.iterateUnits()) {
        // drain
      }
      await api.getUnit('a.service');
      await api.createUnit({
        name: 'a.service',
        options: [{ section: 'Service', name: 'ExecStart', value: '/x' }],
      });
      await api.setUnitTargetState('a.service', 'launched');
      await api.listUnitStates({ unitName: 'a.service' });
      await api.listMachines();
      await api.patchMachineMetadata([{ op: 'remove', machineID: 'm1', key: 'k' }]);
      await api.destroyUnit('a.service');
      await api.serverVersion();
    } finally {
      server.events.removeListener('request:start', record);
    }
    expect(paths).toEqual([
      'GET /fleet/v1/units',
      'GET /fleet/v1/units',
      'GET /fleet/v1/units/a.service',
      'PUT /fleet/v1/units/a.service',
      'PUT /fleet/v1/units/a.service',
      'GET /fleet/v1/state',
      'GET /fleet/v1/machines',
      'PATCH /fleet/v1/machines',
      'DELETE /fleet/v1/units/a.service',
    ]); // serverVersion() reused the first response: no request of its own
    expect(paths.filter((p) => /\/state\/./.test(p))).toEqual([]);
  });
});
