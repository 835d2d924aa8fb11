import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetClientOptions } from './client-options.js';
import { FleetUnreachableError } from './errors.js';
import { createFleetClient } from './http-fleet-api.js';
import { countingConnect } from './test-helpers/counting-connect.js';
import {
  type Handler,
  type LocalServer,
  sendFleetEmpty,
  sendFleetJson,
  startTcpServer,
  startUnixServer,
} from './test-helpers/local-server.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function tcpServer(handler: Handler): Promise<LocalServer & { port: number }> {
  const server = await startTcpServer(handler);
  cleanups.push(() => server.close());
  return { ...server, port: (server.server.address() as AddressInfo).port };
}

function client(options: FleetClientOptions) {
  const api = createFleetClient({ clock: new RecordingClock(), ...options });
  cleanups.push(() => api.close());
  return api;
}

/** Two pages of units and the trailing `{}` page, with a 503 the first time page 2 is asked for. */
function pagedWith503(): Handler {
  let failed = false;
  return (req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    const token = url.searchParams.get('nextPageToken');
    if (token === null)
      return sendFleetJson(res, 200, { units: [{ name: 'a.service' }], nextPageToken: 'AQACAA==' });
    if (token === 'AQACAA==' && !failed) {
      failed = true;
      return sendFleetJson(res, 503, {
        error: { code: 503, message: 'fleet server unable to communicate with etcd' },
      });
    }
    if (token === 'AQACAA==')
      return sendFleetJson(res, 200, { units: [{ name: 'b.service' }], nextPageToken: 'AQADAA==' });
    return sendFleetJson(res, 200, {});
  };
}

describe('the connect option (transport seam)', () => {
  it('carries every request, page 2+ and the retry after a 503 included', async () => {
    const server = await tcpServer(pagedWith503());
    // the endpoint names a port nothing listens on: only connect() knows the way
    const via = countingConnect({ port: server.port });
    const api = client({ endpoint: 'http://127.0.0.1:9', connect: via.connect });
    const units = await api.listUnits();
    expect(units.map((u) => u.name)).toEqual(['a.service', 'b.service']);
    const expected = [
      'GET /fleet/v1/units',
      'GET /fleet/v1/units?nextPageToken=AQACAA%3D%3D',
      'GET /fleet/v1/units?nextPageToken=AQACAA%3D%3D',
      'GET /fleet/v1/units?nextPageToken=AQADAA%3D%3D',
    ];
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(expected);
    expect(via.lines).toEqual(expected);
    expect(via.targets[0]).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 9, tls: false });
  });

  it('reuses a kept-alive stream; keepAlive false opens one per request', async () => {
    const server = await tcpServer((_req, res) => sendFleetJson(res, 200, { name: 'a.service' }));
    const kept = countingConnect({ port: server.port });
    const api = client({ endpoint: 'http://fleet.test:8080', connect: kept.connect });
    for (let i = 0; i < 3; i++) await api.getUnit('a.service');
    expect(kept.lines).toHaveLength(3);
    expect(kept.targets).toHaveLength(1);

    const fresh = countingConnect({ port: server.port });
    const once = client({ endpoint: 'http://fleet.test:8080', connect: fresh.connect, keepAlive: false });
    for (let i = 0; i < 3; i++) await once.getUnit('a.service');
    expect(fresh.targets).toHaveLength(3);
  });

  it('gets the unix socket path as its target, and page 2 still works (got’s unix bug stays fixed)', async () => {
    const unix = await startUnixServer(pagedWith503());
    cleanups.push(() => unix.close());
    const via = countingConnect({ path: unix.socketPath });
    const api = client({ endpoint: 'unix:///var/run/fleet.sock', connect: via.connect });
    await expect(api.listUnits()).resolves.toHaveLength(2);
    expect(via.targets[0]).toMatchObject({ kind: 'unix', socketPath: '/var/run/fleet.sock' });
    expect(unix.seen).toHaveLength(4);
    expect(via.lines).toHaveLength(4);
  });

  it('sends PUT bodies through it', async () => {
    const server = await tcpServer((_req, res) => sendFleetEmpty(res, 204));
    const via = countingConnect({ port: server.port });
    const api = client({ endpoint: 'http://fleet.test', connect: via.connect });
    await api.setUnitTargetState('a.service', 'launched');
    expect(server.seen[0]?.body).toBe('{"desiredState":"launched","name":"a.service"}');
    expect(via.lines).toEqual(['PUT /fleet/v1/units/a.service']);
  });

  it('a connect() that throws is FleetUnreachableError naming the option, not retried', async () => {
    let calls = 0;
    const api = client({
      endpoint: 'http://fleet.test',
      connect: () => {
        calls++;
        throw new Error('ssh: handshake failed');
      },
    });
    const error = await api.listMachines().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnreachableError);
    expect(error).toMatchObject({
      code: 'ERR_FLEET_UNREACHABLE',
      reason: 'ERR_FLEET_CONNECT',
      transient: false,
    });
    expect((error as Error).message).toBe(
      'GET /fleet/v1/machines failed: the connect option could not open a connection to http://fleet.test: ssh: handshake failed (ERR_FLEET_CONNECT)',
    );
    expect(calls).toBe(1);
  });

  it('a connect() that rejects with ECONNREFUSED is retried (within the first-contact budget), then FleetUnreachableError', async () => {
    const clock = new RecordingClock();
    let calls = 0;
    const api = client({
      endpoint: 'http://fleet.test',
      clock,
      connect: async () => {
        calls++;
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:49153'), { code: 'ECONNREFUSED' });
      },
    });
    const error = await api.getUnit('a.service').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetUnreachableError);
    expect(error).toMatchObject({ reason: 'ECONNREFUSED', transient: true });
    expect(clock.sleeps).toEqual([250, 500, 1000, 250]);
    expect(calls).toBe(5);
  });

  it('a connect() that returns something else than a stream fails clearly', async () => {
    const api = client({ endpoint: 'http://fleet.test', connect: () => 'ssh://nope' as never });
    await expect(api.listUnits()).rejects.toThrow(/connect\(\) must return a duplex stream/);
  });
});

describe('the agent option', () => {
  it('sends every request through the caller’s agent, and close() leaves it to its owner', async () => {
    const server = await tcpServer(pagedWith503());
    const opened: string[] = [];
    class CountingAgent extends http.Agent {
      override createConnection(
        options: net.NetConnectOpts,
        callback?: (e: Error | null, s: Duplex) => void,
      ) {
        opened.push(`${(options as net.TcpNetConnectOpts).host}:${(options as net.TcpNetConnectOpts).port}`);
        return super.createConnection(options, callback);
      }
    }
    const agent = new CountingAgent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const api = createFleetClient({ endpoint: server.endpoint, agent, clock: new RecordingClock() });
    await expect(api.listUnits()).resolves.toHaveLength(2);
    expect(server.seen).toHaveLength(4);
    expect(opened).toEqual([`127.0.0.1:${server.port}`]);
    api.close();
    expect(Object.keys(agent.freeSockets)).toHaveLength(1); // not destroyed by the client
  });
});
