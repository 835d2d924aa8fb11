import { afterEach, describe, expect, it } from 'vitest';
import { FleetUnavailableError, FleetUnreachableError, NotFleetError } from './errors.js';
import type { FleetApi } from './fleet-api.js';
import { createFleetClient } from './http-fleet-api.js';
import { type Handler, sendFleetJson, startTcpServer } from './test-helpers/local-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';
import { verifyFleet } from './verify-fleet.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function clientFor(handler: Handler, clock = new RecordingClock()) {
  const server = await startTcpServer(handler);
  cleanups.push(() => server.close());
  const api = createFleetClient({ endpoint: server.endpoint, clock });
  cleanups.push(() => api.close());
  return { api, server, clock };
}

describe('verifyFleet', () => {
  it('returns fleetd’s version from its Server header', async () => {
    const { api, server } = await clientFor((_req, res) => sendFleetJson(res, 200, {}));
    await expect(verifyFleet(api)).resolves.toBe('1.0.0');
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /fleet/v1/machines']);
  });

  it('an answer without fleetd’s header is NotFleetError (ERR_NOT_FLEET) naming the endpoint as given', async () => {
    const { api, server } = await clientFor((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const error = await verifyFleet(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFleetError);
    expect(error).toMatchObject({ code: 'ERR_NOT_FLEET', endpoint: server.endpoint });
    expect((error as Error).message).toBe(
      `${server.endpoint} is not a fleet API endpoint: its responses carry no "Server: fleetd/…" header`,
    );
  });

  it('an answer that cannot be read as fleet’s is NotFleetError with the cause', async () => {
    const { api } = await clientFor((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', Server: 'fleetd/1.0.0' });
      res.end('<h1>hello</h1>');
    });
    const fake = { serverVersion: () => api.listMachines().then(() => '1.0.0') } as unknown as FleetApi;
    const error = await verifyFleet(fake, { endpoint: 'http://web.example' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFleetError);
    expect((error as Error).message).toMatch(
      /^http:\/\/web\.example is not a fleet API endpoint: its answer was not fleet's \(GET \/fleet\/v1\/machines returned a bad response/,
    );
    expect((error as Error).cause).toMatchObject({ code: 'ERR_FLEET_BAD_RESPONSE' });
  });

  it('a web server’s 404 page (no fleetd header) is NotFleetError', async () => {
    const { api } = await clientFor((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    await expect(verifyFleet(api, { endpoint: 'http://web.example' })).rejects.toThrow(
      'http://web.example is not a fleet API endpoint: its responses carry no "Server: fleetd/…" header',
    );
  });

  it('nothing listening: the client’s FleetUnreachableError, after the short first-contact budget', async () => {
    const { server } = await clientFor(() => undefined);
    const endpoint = server.endpoint;
    await server.close(); // the port is free now: ECONNREFUSED
    const clock = new RecordingClock();
    const api = createFleetClient({ endpoint, clock });
    cleanups.push(() => api.close());
    const error = await verifyFleet(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnreachableError);
    expect(error).toMatchObject({ reason: 'ECONNREFUSED' });
    expect(clock.now()).toBe(2000);
  });

  it('defect 8: fleet answering 503 (etcd away) is FleetUnavailableError, not "not fleet"', async () => {
    const { api, clock } = await clientFor((_req, res) =>
      sendFleetJson(res, 503, {
        error: { code: 503, message: 'fleet server unable to communicate with etcd' },
      }),
    );
    const error = await verifyFleet(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_FLEET_UNAVAILABLE', status: 503 });
    expect(clock.now()).toBe(20_000);
  });

  it('works on any FleetApi; an abort rejects with the signal’s reason', async () => {
    const reason = new Error('stop');
    const fake = {
      serverVersion: async ({ signal }: { signal?: AbortSignal } = {}) => {
        signal?.throwIfAborted();
        return undefined;
      },
    } as unknown as FleetApi;
    await expect(verifyFleet(fake)).rejects.toThrow(
      'the fleet endpoint is not a fleet API endpoint: its responses carry no "Server: fleetd/…" header',
    );
    await expect(verifyFleet(fake, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
