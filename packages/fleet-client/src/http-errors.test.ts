import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  FleetBadResponseError,
  FleetConflictError,
  type FleetError,
  FleetNotFoundError,
  FleetRejectedError,
  FleetServerError,
  FleetUnavailableError,
  isFleetError,
} from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import { API, fleetEmpty, fleetError, fleetJson, MSW_ENDPOINT } from './test-helpers/fleet-responses.js';
import { useMswServer } from './test-helpers/msw-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

const server = useMswServer();

const O = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];

function client() {
  return createFleetClient({ endpoint: MSW_ENDPOINT, clock: new RecordingClock(), retry: { limit: 0 } });
}

async function failure(promise: Promise<unknown>): Promise<FleetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isFleetError(error)) throw new Error(`expected a FleetError, got ${String(error)}`);
  return error;
}

describe('HTTP status → error class', () => {
  it.each([
    [400, 'unable to decode body: EOF', FleetRejectedError, 'ERR_FLEET_REJECTED'],
    [
      405,
      'only GET, PUT and DELETE supported against this resource',
      FleetRejectedError,
      'ERR_FLEET_REJECTED',
    ],
    [415, 'expected 1 Content-Type, got 0', FleetRejectedError, 'ERR_FLEET_REJECTED'],
    [409, 'must provide DesiredState to update existing unit', FleetConflictError, 'ERR_FLEET_CONFLICT'],
    [500, '', FleetServerError, 'ERR_FLEET_SERVER'],
    [503, 'fleet server unable to communicate with etcd', FleetUnavailableError, 'ERR_FLEET_UNAVAILABLE'],
  ] as const)('%i → %s', async (status, message, type, code) => {
    server.use(http.put(`${API}/units/:name`, () => fleetError(status, message)));
    const error = await failure(client().createUnit({ name: 'web@1.service', options: O }));
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.fleetMessage).toBe(message);
    expect(error.method).toBe('PUT');
    expect(error.path).toBe('/fleet/v1/units/web@1.service');
    expect(error.unitName).toBe('web@1.service');
    expect(error.message).toBe(
      `PUT /fleet/v1/units/web@1.service failed (${status})${message ? `: ${message}` : ''}`,
    );
    expect(error.transient).toBe(status >= 500);
  });

  it('404 on a list (wrong base path) is FleetNotFoundError', async () => {
    server.use(http.get(`${API}/units`, () => fleetError(404, '')));
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetNotFoundError);
    expect(error.message).toBe('GET /fleet/v1/units failed (404)');
  });

  it('uses the HTTP status text when the body is not fleet’s error entity', async () => {
    server.use(
      http.get(
        `${API}/units`,
        () => new HttpResponse('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      ),
    );
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetServerError);
    expect(error.message).toBe('GET /fleet/v1/units failed (502): Bad Gateway');
    expect(error.fleetMessage).toBeUndefined();
  });

  it('keeps the raw body non-enumerable', async () => {
    server.use(
      http.put(`${API}/units/:name`, () => fleetError(409, 'unit does not exist and options field empty')),
    );
    const error = await failure(client().createUnit({ name: 'a.service', options: O }));
    expect(error.responseBody).toBe(
      '{"error":{"code":409,"message":"unit does not exist and options field empty"}}',
    );
    expect(Object.keys(error)).not.toContain('responseBody');
    expect(JSON.stringify(error)).not.toContain('responseBody');
  });
});

describe('bad responses', () => {
  it('a 200 body that is not JSON', async () => {
    server.use(http.get(`${API}/units`, () => new HttpResponse('<html>hello</html>', { status: 200 })));
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.code).toBe('ERR_FLEET_BAD_RESPONSE');
    expect(error.message).toBe(
      'GET /fleet/v1/units returned a bad response (200): the body is not JSON (starts with "<html>hello</html>")',
    );
  });

  it.each([
    ['units is not an array', { units: {} }, 'page.units is not an array'],
    ['a unit without a name', { units: [{ desiredState: 'launched' }] }, 'units[0] has no name'],
    [
      'a non-string field',
      { units: [{ name: 'a.service', machineID: 5 }] },
      'units[0].machineID is not a string',
    ],
    ['a non-object page', [1, 2], 'the page is not an object'],
    ['a numeric token', { nextPageToken: 3 }, 'page.nextPageToken is not a string'],
  ])('wrong shape: %s', async (_label, body, detail) => {
    server.use(http.get(`${API}/units`, () => fleetJson(body)));
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.message).toBe(
      `GET /fleet/v1/units returned a bad response (200): unexpected shape: ${detail}`,
    );
  });

  it('machine metadata values must be strings', async () => {
    server.use(
      http.get(`${API}/machines`, () => fleetJson({ machines: [{ id: 'm1', metadata: { a: 1 } }] })),
    );
    const error = await failure(client().listMachines());
    expect(error.message).toBe(
      'GET /fleet/v1/machines returned a bad response (200): unexpected shape: machines[0].metadata.a is not a string',
    );
  });

  it('an empty 200 body on a GET', async () => {
    server.use(http.get(`${API}/units/:name`, () => new HttpResponse(null, { status: 200 })));
    const error = await failure(client().getUnit('a.service'));
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.message).toMatch(/empty body/);
  });

  it('a status fleet never sends for the call (200 to a PUT)', async () => {
    server.use(http.put(`${API}/units/:name`, () => fleetJson({})));
    const error = await failure(client().createUnit({ name: 'a.service', options: O }));
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.message).toBe(
      'PUT /fleet/v1/units/a.service returned a bad response (200): expected status 201 or 204',
    );
  });

  it('a redirect is not followed', async () => {
    server.use(
      http.get(
        `${API}/units`,
        () => new HttpResponse(null, { status: 301, headers: { Location: '/elsewhere' } }),
      ),
    );
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.status).toBe(301);
  });

  it('a 404 on getUnit that does not come from fleetd is not "absent"', async () => {
    server.use(http.get(`${API}/units/:name`, () => new HttpResponse('Not Found', { status: 404 })));
    const error = await failure(client().getUnit('a.service'));
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.message).toMatch(/does not come from fleetd/);
  });

  it('a 404 with fleetd’s Server header but a non-JSON body still counts as absent', async () => {
    server.use(
      http.get(
        `${API}/units/:name`,
        () => new HttpResponse('', { status: 404, headers: { Server: 'fleetd/1.0.0' } }),
      ),
    );
    await expect(client().getUnit('a.service')).resolves.toBeUndefined();
  });

  it('a page token that comes back twice stops the walk', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/units`, () => {
        calls++;
        return fleetJson({ units: [{ name: `u${calls}.service` }], nextPageToken: 'ZAACAA==' });
      }),
    );
    const error = await failure(client().listUnits());
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect(error.message).toMatch(/nextPageToken "ZAACAA==" came back twice/);
    expect(calls).toBe(2);
  });

  it('201/204 bodies are never parsed', async () => {
    server.use(http.put(`${API}/units/:name`, () => new HttpResponse('not json', { status: 201 })));
    await expect(client().createUnit({ name: 'a.service', options: O })).resolves.toEqual({
      contentsWritten: true,
    });
    server.use(http.delete(`${API}/units/:name`, () => fleetEmpty(204)));
    await expect(client().destroyUnit('a.service')).resolves.toBe(true);
  });
});
