import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { RequestInfo, ResponseInfo } from './client-options.js';
import { FleetRejectedError, FleetServerError, FleetTimeoutError, FleetUnavailableError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import type { RetryOptions } from './retry-options.js';
import { API, fleetEmpty, fleetError, fleetJson, MSW_ENDPOINT } from './test-helpers/fleet-responses.js';
import { useMswServer } from './test-helpers/msw-server.js';
import { RecordingClock, StuckClock } from './test-helpers/recording-clock.js';

const server = useMswServer();

const O = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
const ETCD_DOWN = 'fleet server unable to communicate with etcd';

function setup(retry: RetryOptions = { maxRetryTime: 70, initialDelay: 10, maxDelay: 40, factor: 2 }) {
  const clock = new RecordingClock();
  const requests: RequestInfo[] = [];
  const responses: ResponseInfo[] = [];
  const api = createFleetClient({
    endpoint: MSW_ENDPOINT,
    clock,
    retry,
    timeout: { request: 100 },
    onRequest: (info) => requests.push(info),
    onResponse: (info) => responses.push(info),
  });
  return { api, clock, requests, responses };
}

/** A handler answering `failures` times with `fail()`, then with `ok()`; counts hits. */
function flaky(failures: number, fail: () => Response | Promise<Response>, ok: () => Response) {
  const hits = { count: 0 };
  const resolver = async () => {
    hits.count++;
    return hits.count <= failures ? fail() : ok();
  };
  return { hits, resolver };
}

describe('retries', () => {
  it('retries a GET after 503 with backoff through the clock, then succeeds', async () => {
    const { api, clock, requests, responses } = setup();
    const f = flaky(
      2,
      () => fleetError(503, ETCD_DOWN),
      () => fleetJson({ units: [{ name: 'a.service' }] }),
    );
    server.use(http.get(`${API}/units`, f.resolver));
    await expect(api.listUnits()).resolves.toEqual([{ name: 'a.service' }]);
    expect(f.hits.count).toBe(3);
    expect(clock.sleeps).toEqual([10, 20]);
    expect(requests.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(responses.map((r) => [r.method, r.path, r.status, r.attempt])).toEqual([
      ['GET', '/fleet/v1/units', 503, 1],
      ['GET', '/fleet/v1/units', 503, 2],
      ['GET', '/fleet/v1/units', 200, 3],
    ]);
    expect(responses.every((r) => typeof r.duration === 'number' && r.duration >= 0)).toBe(true);
  });

  it('gives up when the time budget is spent (not after a count), with the last error naming the attempts', async () => {
    const { api, clock } = setup({ maxRetryTime: 100, initialDelay: 10, maxDelay: 30, factor: 2 });
    const f = flaky(
      99,
      () => fleetError(500, ''),
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/units/:name`, f.resolver));
    const error = await api.getUnit('a.service').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetServerError);
    expect((error as FleetServerError).attempts).toBe(6);
    expect((error as Error).message).toBe('GET /fleet/v1/units/a.service failed (500) (6 attempts)');
    expect(f.hits.count).toBe(6);
    // delays capped at maxDelay; the last wait is cut so that no retry starts after 100 ms
    expect(clock.sleeps).toEqual([10, 20, 30, 30, 10]);
    expect(clock.now()).toBe(100);
  });

  it('defect 8: a 503 "unable to communicate with etcd" is retried for the whole budget, then FleetUnavailableError', async () => {
    const { api, clock } = setup({ maxRetryTime: 20_000 });
    const f = flaky(
      Number.POSITIVE_INFINITY,
      () => fleetError(503, ETCD_DOWN),
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/machines`, f.resolver));
    const error = await api.listMachines().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_FLEET_UNAVAILABLE', status: 503, transient: true });
    expect((error as Error).message).toBe(
      `GET /fleet/v1/machines failed (503): ${ETCD_DOWN} (${f.hits.count} attempts)`,
    );
    expect(clock.now()).toBe(20_000);
    expect(f.hits.count).toBe(10);
  });

  it('defect 8: fleet back within the budget → the call succeeds', async () => {
    const { api } = setup({ maxRetryTime: 20_000, initialDelay: 250, maxDelay: 4000 });
    const f = flaky(
      8, // 250+500+1000+2000+4000+4000+4000+4000 = 19.75 s of waits
      () => fleetError(503, ETCD_DOWN),
      () => fleetJson({ machines: [{ id: 'm1' }] }),
    );
    server.use(http.get(`${API}/machines`, f.resolver));
    await expect(api.listMachines()).resolves.toEqual([{ id: 'm1' }]);
    expect(f.hits.count).toBe(9);
  });

  it('the default budget is 20 s once fleet has answered', async () => {
    const clock = new RecordingClock();
    const api = createFleetClient({ endpoint: MSW_ENDPOINT, clock });
    const f = flaky(
      Number.POSITIVE_INFINITY,
      () => fleetError(503, ETCD_DOWN),
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/units`, f.resolver));
    await expect(api.listUnits()).rejects.toBeInstanceOf(FleetUnavailableError);
    // the last wait is cut to the 250 ms left, so the 10th attempt starts at 20 s
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 250]);
    expect(clock.now()).toBe(20_000);
    expect(f.hits.count).toBe(10);
  });

  it('retry.maxRetryTime 0 disables retrying, as does retry.limit 0', async () => {
    for (const retry of [{ maxRetryTime: 0 }, { limit: 0 }]) {
      const { api } = setup(retry);
      const f = flaky(
        1,
        () => fleetError(503, ETCD_DOWN),
        () => fleetJson({}),
      );
      server.use(http.get(`${API}/machines`, f.resolver));
      await expect(api.listMachines()).rejects.toBeInstanceOf(FleetUnavailableError);
      expect(f.hits.count).toBe(1);
    }
  });

  it('retries each page of a walk on its own, keeping the token', async () => {
    const { api } = setup();
    const queries: string[] = [];
    let failedPage2 = false;
    server.use(
      http.get(`${API}/units`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        if (!url.searchParams.has('nextPageToken'))
          return fleetJson({ units: [{ name: 'a.service' }], nextPageToken: 'AQACAA==' });
        if (!failedPage2) {
          failedPage2 = true;
          return fleetError(503, ETCD_DOWN);
        }
        return fleetJson({ units: [{ name: 'b.service' }] });
      }),
    );
    await expect(api.listUnits()).resolves.toEqual([{ name: 'a.service' }, { name: 'b.service' }]);
    expect(queries).toEqual(['', '?nextPageToken=AQACAA%3D%3D', '?nextPageToken=AQACAA%3D%3D']);
  });

  it.each([400, 404, 409, 415])('never retries a %i', async (status) => {
    const { api } = setup();
    const f = flaky(
      99,
      () => fleetError(status, 'no'),
      () => fleetEmpty(204),
    );
    server.use(http.put(`${API}/units/:name`, f.resolver));
    await expect(api.setUnitTargetState('a.service', 'launched')).rejects.toMatchObject({ status });
    expect(f.hits.count).toBe(1);
  });

  it('retries setUnitTargetState (idempotent) and DELETE after 5xx', async () => {
    const { api } = setup();
    const put = flaky(
      2,
      () => fleetError(500, ''),
      () => fleetEmpty(204),
    );
    const del = flaky(
      1,
      () => fleetError(503, ETCD_DOWN),
      () => fleetEmpty(204),
    );
    server.use(http.put(`${API}/units/:name`, put.resolver), http.delete(`${API}/units/:name`, del.resolver));
    await api.setUnitTargetState('a.service', 'loaded');
    await expect(api.destroyUnit('a.service')).resolves.toBe(true);
    expect([put.hits.count, del.hits.count]).toEqual([3, 2]);
  });

  it('never retries PATCH /machines, even on 503', async () => {
    const { api } = setup();
    const f = flaky(
      1,
      () => fleetError(503, ETCD_DOWN),
      () => fleetEmpty(204),
    );
    server.use(http.patch(`${API}/machines`, f.resolver));
    await expect(
      api.patchMachineMetadata([{ op: 'add', machineID: 'm', key: 'k', value: 'v' }]),
    ).rejects.toBeInstanceOf(FleetUnavailableError);
    expect(f.hits.count).toBe(1);
  });

  it('createUnit retries a 503 (fleetd did nothing) but not a 500 (it may have written)', async () => {
    const { api } = setup();
    const unavailable = flaky(
      1,
      () => fleetError(503, ETCD_DOWN),
      () => fleetEmpty(201),
    );
    server.use(http.put(`${API}/units/:name`, unavailable.resolver));
    await expect(api.createUnit({ name: 'a.service', options: O })).resolves.toEqual({
      contentsWritten: true,
    });
    expect(unavailable.hits.count).toBe(2);

    const broken = flaky(
      1,
      () => fleetError(500, ''),
      () => fleetEmpty(201),
    );
    server.use(http.put(`${API}/units/:name`, broken.resolver));
    await expect(api.createUnit({ name: 'a.service', options: O })).rejects.toBeInstanceOf(FleetServerError);
    expect(broken.hits.count).toBe(1);
  });

  it('createUnit does not retry after a timeout (a retry would misreport 204/409)', async () => {
    const { api } = setup();
    const f = flaky(
      1,
      async () => {
        await delay('infinite');
        return fleetEmpty(201);
      },
      () => fleetEmpty(204),
    );
    server.use(http.put(`${API}/units/:name`, f.resolver));
    await expect(api.createUnit({ name: 'a.service', options: O })).rejects.toBeInstanceOf(FleetTimeoutError);
    expect(f.hits.count).toBe(1);
  });
});

describe('timeouts', () => {
  it('a handler that never answers gives FleetTimeoutError per attempt, retried for a GET', async () => {
    const { api, responses } = setup({ maxRetryTime: 1, initialDelay: 1, maxDelay: 1, factor: 1 });
    const f = flaky(
      99,
      async () => {
        await delay('infinite');
        return fleetJson({});
      },
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/units`, f.resolver));
    const error = await api.listUnits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetTimeoutError);
    expect(error).toMatchObject({ code: 'ERR_FLEET_TIMEOUT', timeoutMs: 100, phase: 'request', attempts: 2 });
    expect((error as Error).message).toBe(
      'GET /fleet/v1/units failed: no response within 100 ms (timeout.request) (2 attempts)',
    );
    expect(f.hits.count).toBe(2);
    expect(responses.map((r) => [r.status, (r.error as Error | undefined)?.name])).toEqual([
      [undefined, 'FleetTimeoutError'],
      [undefined, 'FleetTimeoutError'],
    ]);
  });
});

describe('abort', () => {
  it('an abort during a request rejects with the signal’s reason and stops retrying', async () => {
    const { api } = setup();
    const f = flaky(
      99,
      async () => {
        await delay('infinite');
        return fleetJson({});
      },
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/units`, f.resolver));
    const controller = new AbortController();
    const reason = new Error('operator pressed ^C');
    setTimeout(() => controller.abort(reason), 20);
    await expect(api.listUnits({ signal: controller.signal })).rejects.toBe(reason);
    expect(f.hits.count).toBe(1);
  });

  it('an abort during the wait between retries rejects with the signal’s reason', async () => {
    const clock = new StuckClock();
    const api = createFleetClient({ endpoint: MSW_ENDPOINT, clock });
    const f = flaky(
      99,
      () => fleetError(503, ETCD_DOWN),
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/machines`, f.resolver));
    const controller = new AbortController();
    const pending = api.listMachines({ signal: controller.signal });
    await expect.poll(() => clock.sleeps.length).toBe(1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(f.hits.count).toBe(1);
    expect(clock.sleeps).toEqual([250]);
  });

  it('an already-aborted signal sends nothing', async () => {
    const { api, requests } = setup();
    const reason = new Error('stop');
    await expect(api.getUnit('a.service', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(requests).toEqual([]);
  });

  it('an already-aborted signal rejects even calls that need no request (cached version, empty PATCH)', async () => {
    server.use(http.get(`${API}/units`, () => fleetJson({})));
    const { api, requests } = setup();
    await api.listUnits(); // caches the version from its Server header
    const reason = new Error('stop');
    const signal = AbortSignal.abort(reason);
    await expect(api.patchMachineMetadata([], { signal })).rejects.toBe(reason);
    await expect(api.serverVersion({ signal })).rejects.toBe(reason);
    await expect(api.serverVersion()).resolves.toBe('1.0.0');
    expect(requests).toHaveLength(1);
  });
});

describe('hooks and headers', () => {
  it('reports the query string to the hooks and sends the User-Agent', async () => {
    const { api, requests } = setup();
    const agents: (string | null)[] = [];
    server.use(
      http.get(`${API}/state`, ({ request }) => {
        agents.push(request.headers.get('user-agent'));
        return fleetJson({});
      }),
    );
    await api.listUnitStates({ machineID: 'm1' });
    expect(requests).toEqual([{ method: 'GET', path: '/fleet/v1/state', query: 'machineID=m1', attempt: 1 }]);
    expect(agents).toEqual(['fleet-service-client/0.1']);
  });

  it('an exception thrown by a hook propagates unchanged (it is not mistaken for a network failure)', async () => {
    const boom = new Error('hook bug');
    const api = createFleetClient({
      endpoint: MSW_ENDPOINT,
      clock: new RecordingClock(),
      onResponse: () => {
        throw boom;
      },
    });
    server.use(http.get(`${API}/units`, () => fleetJson({})));
    await expect(api.listUnits()).rejects.toBe(boom);
  });

  it('a 4xx is rejected without retry even with a generous budget', async () => {
    const { api } = setup({ maxRetryTime: 60_000 });
    const f = flaky(
      99,
      () => fleetError(400, 'bad'),
      () => fleetJson({}),
    );
    server.use(http.get(`${API}/units`, f.resolver));
    await expect(api.listUnits()).rejects.toBeInstanceOf(FleetRejectedError);
    expect(f.hits.count).toBe(1);
  });
});
