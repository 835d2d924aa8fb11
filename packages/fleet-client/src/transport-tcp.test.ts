import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetTimeoutError, FleetUnreachableError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import { type Handler, sendFleetEmpty, sendFleetJson, startTcpServer } from './test-helpers/local-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function tcpServer(handler: Handler) {
  const server = await startTcpServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function client(endpoint: string, extra: Parameters<typeof createFleetClient>[0] = {}) {
  const api = createFleetClient({
    endpoint,
    clock: new RecordingClock(),
    retry: { limit: 2, initialDelay: 1 },
    ...extra,
  });
  cleanups.push(() => api.close());
  return api;
}

describe('TCP transport (real server)', () => {
  it('sends Content-Type exactly once on PUT, none on GET/DELETE, and encodes names and tokens', async () => {
    const server = await tcpServer((req, res) => {
      if (req.method === 'GET' && req.url?.startsWith('/fleet/v1/units?')) return sendFleetJson(res, 200, {});
      if (req.method === 'GET')
        return sendFleetJson(res, 200, { units: [{ name: 'x' }], nextPageToken: 'ZAACAA==' });
      sendFleetEmpty(res, req.method === 'PUT' ? 201 : 204);
    });
    const api = client(server.endpoint);
    await api.listUnits();
    await api.createUnit({
      name: 'yes@no\\.service',
      options: [{ section: 'Service', name: 'ExecStart', value: '/x' }],
    });
    await api.destroyUnit('a:b.service');
    const contentTypes = server.seen.map(
      (r) =>
        r.rawHeaders.filter((_, i) => i % 2 === 0 && /^content-type$/i.test(r.rawHeaders[i] ?? '')).length,
    );
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /fleet/v1/units',
      'GET /fleet/v1/units?nextPageToken=ZAACAA%3D%3D',
      'PUT /fleet/v1/units/yes%40no%5C.service',
      'DELETE /fleet/v1/units/a%3Ab.service',
    ]);
    expect(contentTypes).toEqual([0, 0, 1, 0]);
    expect(server.seen[2]?.headers['content-type']).toBe('application/json');
  });

  it('keeps a path prefix and never doubles /fleet/v1', async () => {
    const server = await tcpServer((_req, res) => sendFleetJson(res, 200, {}));
    await client(`${server.endpoint}/proxy/fleet/v1/`).listMachines();
    await client(`${server.endpoint}/`).listMachines();
    expect(server.seen.map((r) => r.url)).toEqual(['/proxy/fleet/v1/machines', '/fleet/v1/machines']);
  });

  it('connection refused is FleetUnreachableError (ECONNREFUSED), retried up to the limit', async () => {
    const server = await startTcpServer(() => {});
    const endpoint = server.endpoint;
    await server.close(); // nothing listens on that port now
    const attempts: number[] = [];
    const api = client(endpoint, { onRequest: (info) => attempts.push(info.attempt) });
    const error = await api.getUnit('a.service').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnreachableError);
    expect(error).toMatchObject({
      reason: 'ECONNREFUSED',
      transient: true,
      attempts: 3,
      unitName: 'a.service',
    });
    expect((error as Error).message).toBe(
      `GET /fleet/v1/units/a.service failed: cannot connect to fleet at ${endpoint}: connection refused (ECONNREFUSED) (3 attempts)`,
    );
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('PATCH is not retried after a dropped connection', async () => {
    const server = await tcpServer((req) => req.socket.destroy());
    const error = await client(server.endpoint)
      .patchMachineMetadata([{ op: 'remove', machineID: 'm1', key: 'k' }])
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ERR_FLEET_BAD_RESPONSE');
    expect(server.seen).toHaveLength(1);
  });

  it('createUnit retries once when a kept-alive connection dies under it, but not on a fresh one', async () => {
    let hits = 0;
    const server = await tcpServer((req, res) => {
      hits++;
      if (hits === 2) return req.socket.destroy(); // the idle connection "closed" as the PUT went out
      if (req.method === 'GET') return sendFleetJson(res, 200, {});
      sendFleetEmpty(res, 201);
    });
    const api = client(server.endpoint);
    const options = [{ section: 'Service', name: 'ExecStart', value: '/x' }];
    await api.listUnits(); // opens the connection that the PUT then reuses
    await expect(api.createUnit({ name: 'a.service', options })).resolves.toEqual({ contentsWritten: true });
    expect(server.seen.map((r) => r.method)).toEqual(['GET', 'PUT', 'PUT']);

    const fresh = client(server.endpoint);
    hits = 1; // the next request is destroyed, on a brand-new connection this time
    await expect(fresh.createUnit({ name: 'b.service', options })).rejects.toMatchObject({
      code: 'ERR_FLEET_BAD_RESPONSE',
    });
    expect(server.seen).toHaveLength(4);
  });

  it('a slow server hits the per-attempt timeout', async () => {
    const server = await tcpServer((_req, res) => {
      const timer = setTimeout(() => sendFleetJson(res, 200, {}), 2000);
      res.on('close', () => clearTimeout(timer));
    });
    const api = client(server.endpoint, { timeout: { request: 50 }, retry: { limit: 1, initialDelay: 1 } });
    const error = await api.listUnits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetTimeoutError);
    expect(server.seen).toHaveLength(2);
  });

  it('a long-lived AbortSignal shared by many calls keeps no listeners behind', async () => {
    const server = await tcpServer((_req, res) => sendFleetJson(res, 200, {}));
    const api = client(server.endpoint);
    const controller = new AbortController();
    for (let i = 0; i < 15; i++) await api.listUnits({ signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('reuses connections (keep-alive) and close() ends them', async () => {
    const server = await tcpServer((_req, res) => sendFleetJson(res, 200, {}));
    const sockets = new Set<unknown>();
    server.server.on('connection', (socket) => sockets.add(socket));
    const api = client(server.endpoint);
    await api.listUnits();
    await api.listMachines();
    await api.listUnitStates();
    expect(sockets.size).toBe(1);
    api.close();
    await expect(api.listUnits()).rejects.toMatchObject({
      code: 'ERR_FLEET_UNREACHABLE',
      reason: 'ERR_CLIENT_CLOSED',
    });
  });
});
