import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  describeService,
  destroyService,
  listServices,
  recordUnitName,
  rollout,
  StateTimeoutError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FAST,
  H1,
  H2,
  type Harness,
  harness,
  instancesOf,
  runningWith,
  serviceUnits,
  V1,
  V2,
} from './sim-harness.js';

let h: Harness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const LOCAL = [{ primaryIP: '127.0.0.1' }, { primaryIP: '127.0.0.1' }, { primaryIP: '127.0.0.1' }];

describe('strategies', () => {
  it('N = 1 with surge: never zero instances running', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 1, ...FAST }, { api: h.api, clock: h.clock });
    const from = h.clock.now();
    const r = await rollout(
      { service: 'web', unitFile: V2, count: 1, maxSurge: 1, ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(r.outcome).toBe('succeeded');
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(1);
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service']);
    expect(Object.keys(serviceUnits(h.sim, 'web')).sort()).toEqual([
      'web.fs-record.service',
      'web@.service',
      'web@1.service',
    ]);
  });

  it('surge with maxUnavailable 0 keeps N running throughout (N = 4, 2 spares)', async () => {
    h = await harness();
    await rollout(
      { service: 'web', unitFile: V1, count: 4, maxUnavailable: 2, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const from = h.clock.now();
    await rollout(
      { service: 'web', unitFile: V2, count: 4, maxSurge: 2, ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(4);
    expect(runningWith(h.sim, 'web', H2)).toHaveLength(4);
  });

  it('in-place replace keeps each instance on its machine', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 3, ...FAST }, { api: h.api, clock: h.clock });
    const before = Object.fromEntries(h.sim.cluster.units().map((u) => [u.name, u.machineID]));
    const from = h.clock.now();
    const r = await rollout(
      { service: 'web', unitFile: V2, count: 3, replaceMode: 'in-place', ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(r.replaced).toHaveLength(3);
    for (const u of h.sim.cluster.units().filter((x) => instancesOf('web')(x.name)))
      expect(u.machineID).toBe(before[u.name]);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
  });

  it('machine-aware with maxUnavailable 2 never has two instances of one machine down', async () => {
    h = await harness({ machines: 2 });
    await rollout(
      { service: 'web', unitFile: V1, count: 4, maxUnavailable: 2, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const byMachine = new Map<string, string[]>();
    for (const u of h.sim.cluster.units().filter((x) => instancesOf('web')(x.name))) {
      byMachine.set(u.machineID!, [...(byMachine.get(u.machineID!) ?? []), u.name]);
    }
    const from = h.clock.now();
    await rollout(
      {
        service: 'web',
        unitFile: V2,
        count: 4,
        maxUnavailable: 2,
        machineAware: true,
        replaceMode: 'in-place',
        ...FAST,
      },
      { api: h.api, clock: h.clock },
    );
    for (const names of byMachine.values()) {
      expect(h.sim.cluster.timeline.minActive((n) => names.includes(n), from)).toBeGreaterThanOrEqual(
        names.length - 1,
      );
    }
  });

  it('migrates from S.service and non-indexed instances: capacity first, then removal; scales down highest first', async () => {
    h = await harness();
    for (const name of ['web.service', 'web@blue.service', 'web@5.service', 'web@4.service']) {
      await h.api.createUnit({ name, options: V1, desiredState: 'launched' });
    }
    await h.sim.cluster.waitFor(
      () => h!.sim.cluster.unitStates().filter((s) => s.systemdActiveState === 'active').length === 4,
      { timeoutMs: 60_000 },
    );
    const events: string[] = [];
    const r = await rollout(
      { service: 'web', unitFile: V2, count: 2, ...FAST },
      {
        api: h.api,
        clock: h.clock,
        onEvent: (e) => {
          if (e.type === 'step-started' || e.type === 'step-finished')
            events.push(
              `${e.type === 'step-started' ? 'start' : 'end'} ${e.step.batch} ${e.step.action} ${e.step.unit}`,
            );
        },
      },
    );
    // batch by batch; the new indexes together (both start before either is running)
    const started = events.filter((e) => e.startsWith('start'));
    expect(started).toEqual([
      'start 1 create web@.service',
      'start 2 create web@1.service',
      'start 2 create web@2.service',
      'start 3 destroy web@5.service',
      'start 4 destroy web@4.service',
      'start 5 destroy web.service',
      'start 5 destroy web@blue.service',
    ]);
    expect(events.indexOf('start 2 create web@2.service')).toBeLessThan(
      events.indexOf('end 2 create web@1.service'),
    );
    expect(events.indexOf('end 2 create web@1.service')).toBeLessThan(
      events.indexOf('start 3 destroy web@5.service'),
    );
    expect(events.indexOf('end 2 create web@2.service')).toBeLessThan(
      events.indexOf('start 3 destroy web@5.service'),
    );
    expect(r.removed).toEqual(['web@5.service', 'web@4.service', 'web.service', 'web@blue.service']);
    expect(Object.keys(serviceUnits(h.sim, 'web')).sort()).toEqual([
      recordUnitName('web'),
      'web@.service',
      'web@1.service',
      'web@2.service',
    ]);
  });

  it('HTTP and TCP health checks against 127.0.0.1 gate "running"', async () => {
    let healthy = false;
    server = createServer((_req, res) => {
      res.statusCode = healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    h = await harness({ machines: LOCAL });
    const checks = [
      { kind: 'http' as const, url: `http://{ip}:${port}/health?i={index}` },
      { kind: 'tcp' as const, host: '{ip}', port },
    ];
    const failed = await rollout(
      {
        service: 'web',
        unitFile: V1,
        count: 1,
        ...FAST,
        timeouts: { ...FAST.timeouts, healthy: 8_000 },
        healthChecks: checks,
      },
      { api: h.api, clock: h.clock },
    ).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StateTimeoutError);
    expect((failed as StateTimeoutError).lastSeen).toMatch(
      new RegExp(`health check GET http://127\\.0\\.0\\.1:${port}/health\\?i=1 answered 503`),
    );
    healthy = true;
    const seen: number[] = [];
    const ok = await rollout(
      {
        service: 'web',
        unitFile: V1,
        count: 2,
        ...FAST,
        healthChecks: [
          ...checks,
          {
            kind: 'callback',
            check: async (c) => {
              seen.push(c.index);
              return c.machine?.primaryIP === '127.0.0.1';
            },
          },
        ],
      },
      { api: h.api, clock: h.clock },
    );
    expect(ok.outcome).toBe('succeeded');
    expect(seen).toContain(2);
  });

  it('describeService, listServices and destroyService', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    await h.api.createUnit({ name: 'web@blue.service', options: V1, desiredState: 'launched' });
    await h.api.createUnit({ name: 'other.service', options: V1, desiredState: 'launched' });
    const status = await describeService(h.api, 'web', { clock: h.clock });
    expect(status.units.map((u) => [u.name, u.role])).toEqual([
      ['web@.service', 'template'],
      ['web@1.service', 'instance'],
      ['web@2.service', 'instance'],
      ['web@blue.service', 'non-indexed'],
    ]);
    expect(status.hashes).toEqual({ [H1]: 2 });
    expect(status.record?.status).toBe('succeeded');
    expect(status.units[1]).toMatchObject({
      running: true,
      currentState: 'launched',
      systemd: { active: 'active', hash: H1 },
    });
    const services = await listServices(h.api);
    expect(services).toEqual([
      { service: 'web', hasTemplate: true, instances: 3, byActiveState: expect.any(Object), locked: false },
    ]);
    expect(services[0]!.byActiveState.active).toBeGreaterThanOrEqual(2);

    const d = await destroyService('web', { api: h.api, clock: h.clock, batchSize: 1 });
    expect(d.removed).toEqual(['web@2.service', 'web@1.service', 'web@blue.service', 'web@.service']);
    // fs's own record unit goes too, but is not the user's: not in `removed`
    expect(d.completedSteps.at(-1)?.unit).toBe(recordUnitName('web'));
    expect(serviceUnits(h.sim, 'web')).toEqual({});
    expect(h.sim.cluster.units().map((u) => u.name)).toEqual(['other.service']);
    expect(h.sim.cluster.unitStates().filter((s) => s.name?.startsWith('web'))).toEqual([]);
  });
});
