import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { FleetBadResponseError, FleetUnreachableError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import {
  type LocalServer,
  sendFleetEmpty,
  sendFleetJson,
  startUnixServer,
  tempSocketDir,
} from './test-helpers/local-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function unixServer(
  handler: Parameters<typeof startUnixServer>[0],
  socketPath?: string,
): Promise<LocalServer> {
  const server = await startUnixServer(handler, socketPath);
  cleanups.push(() => server.close());
  return server;
}

function client(endpoint: string, clock: Clock = new RecordingClock()) {
  const api = createFleetClient({ endpoint, clock, retry: { limit: 3, initialDelay: 1, maxDelay: 1 } });
  cleanups.push(() => api.close());
  return api;
}

/** fleetd's pagination at limit 2: pages of 2 with the Go token for the next page. */
function pagedUnits(names: string[]) {
  const tokens = ['AgACAA==', 'AgADAA==', 'AgAEAA=='];
  return (url: string) => {
    const token = new URL(url, 'http://x').searchParams.get('nextPageToken');
    const page = token === null ? 0 : tokens.indexOf(token) + 1;
    const items = names.slice(page * 2, page * 2 + 2).map((name) => ({ name }));
    const body: Record<string, unknown> = {};
    if ((page + 1) * 2 <= names.length) body.nextPageToken = tokens[page];
    if (items.length > 0) body.units = items;
    return body;
  };
}

describe('unix socket transport (real server)', () => {
  it('walks page 2+ over the socket, including the trailing empty page', async () => {
    const page = pagedUnits(['a.service', 'b.service', 'c.service', 'd.service']);
    const server = await unixServer((req, res) => sendFleetJson(res, 200, page(req.url ?? '')));
    const units = await client(server.endpoint).listUnits();
    expect(units.map((u) => u.name)).toEqual(['a.service', 'b.service', 'c.service', 'd.service']);
    expect(server.seen.map((r) => r.url)).toEqual([
      '/fleet/v1/units',
      '/fleet/v1/units?nextPageToken=AgACAA%3D%3D',
      '/fleet/v1/units?nextPageToken=AgADAA%3D%3D',
    ]);
    expect(server.seen[0]?.headers.host).toBe('domain-sock');
  });

  it('reads a huge page written in small chunks, multi-byte characters split across them', async () => {
    const units = Array.from({ length: 5000 }, (_, i) => ({
      currentState: 'launched',
      desiredState: 'launched',
      name: `web@${i + 1}.service`,
      options: [{ name: 'Description', section: 'Unit', value: `é ✓ 😀 ${'x'.repeat(200)} ${i}` }],
    }));
    const text = Buffer.from(JSON.stringify({ units }), 'utf8');
    const server = await unixServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', Server: 'fleetd/1.0.0' });
      // 1021-byte chunks (odd, so multi-byte sequences straddle chunk boundaries), unframed length.
      for (let at = 0; at < text.length; at += 1021) res.write(text.subarray(at, at + 1021));
      res.end();
    });
    const listed = await client(server.endpoint).listUnits();
    expect(listed).toHaveLength(5000);
    expect(listed[4999]).toEqual(units[4999]);
  });

  it('retries over the socket after a 503 and after a connection dropped without a response', async () => {
    let hits = 0;
    const server = await unixServer((req, res) => {
      hits++;
      if (hits === 1)
        return sendFleetJson(res, 503, {
          error: { code: 503, message: 'fleet server unable to communicate with etcd' },
        });
      if (hits === 2) return req.socket.destroy(); // what fleetd does when a handler panics
      sendFleetJson(res, 200, { machines: [{ id: 'm1' }] });
    });
    await expect(client(server.endpoint).listMachines()).resolves.toEqual([{ id: 'm1' }]);
    expect(hits).toBe(3);
  });

  it('sends PUT bodies and tells 201 from 204 over the socket', async () => {
    const server = await unixServer((_req, res, body) => {
      sendFleetEmpty(res, JSON.parse(body).options ? 201 : 204);
    });
    const api = client(server.endpoint);
    const options = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    await expect(api.createUnit({ name: 'a@1.service', options })).resolves.toEqual({
      contentsWritten: true,
    });
    await api.setUnitTargetState('a@1.service', 'launched');
    expect(server.seen.map((r) => [r.method, r.url, r.headers['content-type'], r.body])).toEqual([
      [
        'PUT',
        '/fleet/v1/units/a%401.service',
        'application/json',
        JSON.stringify({ name: 'a@1.service', options }),
      ],
      [
        'PUT',
        '/fleet/v1/units/a%401.service',
        'application/json',
        '{"desiredState":"launched","name":"a@1.service"}',
      ],
    ]);
  });

  it('a connection dropped on every attempt ends as FleetBadResponseError', async () => {
    const server = await unixServer((req) => req.socket.destroy());
    const error = await client(server.endpoint)
      .listUnitStates({ unitName: 'x.service' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetBadResponseError);
    expect((error as Error).message).toBe(
      'GET /fleet/v1/state failed: fleet closed the connection without a response (socket hang up) (4 attempts)',
    );
    expect(server.seen).toHaveLength(4);
  });

  it('a missing socket is FleetUnreachableError (ENOENT), retried', async () => {
    const temp = tempSocketDir();
    cleanups.push(() => temp.remove());
    const socketPath = path.join(temp.dir, 'fleet.sock');
    const attempts: number[] = [];
    const api = createFleetClient({
      endpoint: `unix://${socketPath}`,
      clock: new RecordingClock(),
      retry: { limit: 2, initialDelay: 1 },
      onRequest: (info) => attempts.push(info.attempt),
    });
    cleanups.push(() => api.close());
    const error = await api.listUnits().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnreachableError);
    expect(error).toMatchObject({
      code: 'ERR_FLEET_UNREACHABLE',
      reason: 'ENOENT',
      transient: true,
      attempts: 3,
    });
    expect((error as Error).message).toBe(
      `GET /fleet/v1/units failed: cannot connect to fleet at unix://${socketPath}: the socket does not exist; is fleetd running? (ENOENT) (3 attempts)`,
    );
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('survives fleetd restarting: the socket appears during the retry wait', async () => {
    const temp = tempSocketDir();
    cleanups.push(() => temp.remove());
    const socketPath = path.join(temp.dir, 'fleet.sock');
    // The clock's wait is where "fleetd comes back": it starts the server on the socket path.
    const clock: Clock = {
      now: () => 0,
      sleep: async () => {
        await unixServer(
          (_req, res) => sendFleetJson(res, 200, { units: [{ name: 'a.service' }] }),
          socketPath,
        );
      },
    };
    const api = client(`unix://${socketPath}`, clock);
    await expect(api.listUnits()).resolves.toEqual([{ name: 'a.service' }]);
  });

  it('accepts the old fs http+unix:// form', async () => {
    const server = await unixServer((_req, res) => sendFleetJson(res, 200, {}));
    const socketPath = server.endpoint.slice('unix://'.length);
    const api = client(`http+unix://${encodeURIComponent(socketPath)}`);
    await expect(api.listUnits()).resolves.toEqual([]);
    expect(api.endpoint).toMatchObject({ kind: 'unix', socketPath });
  });
});

describe('retry budget: short until fleet first answers, then the full one', () => {
  it('a wrong socket path fails after retry.firstContactTime (2 s), not the 20 s budget', async () => {
    const temp = tempSocketDir();
    cleanups.push(() => temp.remove());
    const clock = new RecordingClock();
    const api = createFleetClient({ endpoint: `unix://${path.join(temp.dir, 'nope.sock')}`, clock });
    cleanups.push(() => api.close());
    const error = await api.listUnits().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_FLEET_UNREACHABLE', reason: 'ENOENT', attempts: 5 });
    expect(clock.sleeps).toEqual([250, 500, 1000, 250]);
    expect(clock.now()).toBe(2000);
  });

  it('after a first answer, fleetd restarting (socket gone) is ridden out for the whole 20 s budget', async () => {
    const server = await startUnixServer((_req, res) => sendFleetJson(res, 200, {}));
    const clock = new RecordingClock();
    const api = createFleetClient({ endpoint: server.endpoint, clock });
    cleanups.push(() => api.close());
    await api.listUnits();
    await server.close(); // removes the socket file: ENOENT from now on
    const error = await api.listMachines().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_FLEET_UNREACHABLE', reason: 'ENOENT', attempts: 10 });
    expect(clock.now()).toBe(20_000);
  });
});
