/**
 * fleet-api.md §1.1 "Availability" through fleet-client: fleetd answers every path with 503
 * `fleet server unable to communicate with etcd` while it has no etcd. The client retries that
 * within its time budget (on the sim's manual clock) and then reports FleetUnavailableError
 * (defect 8: it used to be FleetServerError, which the CLI counted as a rejection, exit 4).
 * Also the transport seam against the sim: every request goes through a caller's connect().
 */
import net from 'node:net';
import { createFleetClient, type FleetClient, verifyFleet } from '@fleet-service/fleet-client';
import { type FleetSim, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { afterEach, describe, expect, it } from 'vitest';

const ETCD_DOWN = 'fleet server unable to communicate with etcd';

const open: { sim: FleetSim; client: FleetClient }[] = [];
afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    client.close();
    await sim.close();
  }
});

async function setup(options: { tokenLimit?: number; connect?: boolean } = {}) {
  const clock = new ManualClock(1_700_000_000_000, { autoAdvance: true });
  const sim = await startFleetSim({ clock, machines: 2, tokenLimit: options.tokenLimit ?? 100 });
  const port = Number(new URL(sim.endpoint).port);
  const connections: string[] = [];
  const client = createFleetClient({
    // with connect, the endpoint is only a name: the stream comes from connect()
    endpoint: options.connect ? 'http://fleet.tunnel:4001' : sim.endpoint,
    clock,
    ...(options.connect
      ? {
          connect: (target) => {
            connections.push(`${target.kind} ${'host' in target ? `${target.host}:${target.port}` : ''}`);
            return net.connect({ host: '127.0.0.1', port });
          },
        }
      : {}),
  });
  open.push({ sim, client });
  await verifyFleet(client); // first contact made: the full budget applies from here
  return { sim, client, clock, connections };
}

describe('fleet unavailable (503, no etcd) through fleet-client', () => {
  it('§1.1 a 503 that clears within the budget is ridden out: the call succeeds', async () => {
    const { sim, client } = await setup();
    sim.cluster.addFault({ kind: 'api-etcd-unavailable', route: 'GET /units', count: 5 });
    const before = sim.cluster.requests.length;
    await expect(client.listUnits()).resolves.toEqual([]);
    expect(sim.cluster.requests.length - before).toBe(6);
  });

  it('§1.1 defect 8: a 503 that outlasts the budget is FleetUnavailableError (ERR_FLEET_UNAVAILABLE) after 20 s', async () => {
    const { sim, client, clock } = await setup();
    sim.cluster.addFault({ kind: 'api-etcd-unavailable' });
    const start = clock.now();
    const error = await client.setUnitTargetState('web@1.service', 'launched').catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'FleetUnavailableError',
      code: 'ERR_FLEET_UNAVAILABLE',
      status: 503,
      fleetMessage: ETCD_DOWN,
      transient: true,
    });
    expect(clock.now() - start).toBeGreaterThanOrEqual(20_000);
    expect(clock.now() - start).toBeLessThan(21_000);
  });

  it('§1.1 createUnit (retried only when undelivered) retries a 503 too: fleet did not act on it', async () => {
    const { sim, client } = await setup();
    sim.cluster.addFault({ kind: 'api-etcd-unavailable', route: 'PUT /units/*', count: 2 });
    const options = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    await expect(client.createUnit({ name: 'a.service', options })).resolves.toEqual({
      contentsWritten: true,
    });
  });
});

describe('transport seam against the sim', () => {
  it('every request, page 2+ and retries included, goes through connect(); kept-alive streams are reused', async () => {
    const { sim, client, connections } = await setup({ tokenLimit: 2, connect: true });
    const options = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    for (const name of ['a.service', 'b.service', 'c.service', 'd.service', 'e.service']) {
      await client.createUnit({ name, options });
    }
    sim.cluster.addFault({ kind: 'api-etcd-unavailable', route: 'GET /units', count: 2 });
    const before = sim.cluster.requests.length;
    const units = await client.listUnits();
    expect(units.map((u) => u.name)).toEqual([
      'a.service',
      'b.service',
      'c.service',
      'd.service',
      'e.service',
    ]);
    expect(sim.cluster.requests.length - before).toBe(5); // 2 × 503, then pages 1, 2 and 3
    // no socket of the client's own: the endpoint's host does not even resolve
    expect(connections.every((c) => c === 'tcp fleet.tunnel:4001')).toBe(true);
    expect(connections.length).toBeGreaterThanOrEqual(1);
    expect(connections.length).toBeLessThan(sim.cluster.requests.length);
  });
});
