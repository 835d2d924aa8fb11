/**
 * Property test: applies of several services at once under random faults (the rollout engine's
 * fault-schedule approach, extended to a whole cluster). For every schedule: no service ever runs
 * below its own guarantee (N − maxUnavailable) while the apply runs, every lock is released, every
 * failure is typed and stays in its service's outcome, a service that succeeded runs only the new
 * contents, and one that was rolled back only the old. Runs: FS_APPLY_PROPERTY_RUNS (default 20,
 * kept small for CI); seed: FS_APPLY_PROPERTY_SEED.
 */
import { type ApplyResult, apply, type DesiredService } from '@fleet-service/apply';
import { createFleetClient, isFleetError, unitHash } from '@fleet-service/fleet-client';
import { type FaultSpec, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { lockUnitName } from '@fleet-service/rollout';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { version } from '../rollout/sim-harness.js';

const RUNS = Number(process.env.FS_APPLY_PROPERTY_RUNS ?? 20);
const SEED =
  process.env.FS_APPLY_PROPERTY_SEED === undefined ? undefined : Number(process.env.FS_APPLY_PROPERTY_SEED);
const NAMES = ['svc-a', 'svc-b', 'svc-c'];
const OLD = version('old');
const NEW = version('new');
const BAD = version('bad');

const serviceArb = fc
  .record({
    count: fc.integer({ min: 1, max: 3 }),
    maxUnavailable: fc.integer({ min: 0, max: 2 }),
    maxSurge: fc.integer({ min: 0, max: 1 }),
    onFailure: fc.constantFrom('abort' as const, 'pause' as const, 'rollback' as const),
    target: fc.constantFrom('new', 'new', 'bad', 'same'),
    scaleTo: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  })
  .filter((s) => s.maxUnavailable + s.maxSurge >= 1);

const apiFault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('api-error' as const),
    route: fc.constantFrom('GET /units/*', 'PUT /units/*', 'DELETE /units/*', 'GET /state', '*'),
    status: fc.constantFrom(500, 502),
    probability: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('api-latency' as const),
    route: fc.constantFrom('GET /state', 'PUT /units/*', '*'),
    delayMs: fc.integer({ min: 10, max: 2_000 }),
    probability: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
    count: fc.integer({ min: 1, max: 6 }),
  }),
);

const scheduleArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  services: fc.array(serviceArb, { minLength: 2, maxLength: 3 }),
  parallel: fc.integer({ min: 1, max: 3 }),
  failFast: fc.boolean(),
  slowNew: fc.boolean(),
  apiFaults: fc.array(apiFault, { maxLength: 2 }),
});
type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

const instanceOf = (service: string) => (name: string) =>
  new RegExp(`^${service}@\\d+\\.service$`).test(name);

async function runSchedule(s: Schedule): Promise<void> {
  const clock = new ManualClock(1_000_000, { autoAdvance: true, idleTurns: 2 });
  const sim = await startFleetSim({ clock, machines: 3, seed: s.seed });
  const api = createFleetClient({
    endpoint: sim.endpoint,
    clock,
    retry: { limit: 3, initialDelay: 100, maxDelay: 1_000, factor: 2 },
  });
  try {
    const services = s.services.map((x, k) => ({ ...x, service: NAMES[k]! }));
    for (const x of services) {
      await api.createUnit({ name: `${x.service}@.service`, options: OLD, desiredState: 'inactive' });
      for (let i = 1; i <= x.count; i++)
        await api.createUnit({ name: `${x.service}@${i}.service`, options: OLD, desiredState: 'launched' });
    }
    const total = services.reduce((n, x) => n + x.count, 0);
    await sim.cluster.waitFor(
      () =>
        sim.cluster.unitStates().filter((u) => u.hash === unitHash(OLD) && u.systemdActiveState === 'active')
          .length === total,
      { timeoutMs: 60_000 },
    );
    sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { option: { section: 'Service', name: 'Environment', value: 'VERSION=bad' } },
    });
    if (s.slowNew)
      sim.cluster.addFault({
        kind: 'unit-slow-start',
        match: { option: { section: 'Service', name: 'Environment', value: 'VERSION=new' } },
        delayMs: 5_000,
      });
    for (const f of s.apiFaults) sim.cluster.addFault(f);

    const desired: DesiredService[] = services.map((x) => {
      const unitFile = x.target === 'bad' ? BAD : x.target === 'same' ? OLD : NEW;
      const count = x.scaleTo ?? x.count;
      return {
        service: x.service,
        kind: 'template',
        name: `${x.service}@.service`,
        count,
        unitFile,
        unitSource: 'generated',
        desiredState: 'launched',
        strategy: {
          maxUnavailable: Math.min(x.maxUnavailable, Math.max(0, count - 1)),
          maxSurge: x.maxSurge,
          onFailure: x.onFailure,
          minHealthyMs: 2_000,
          pollIntervalMs: 1_000,
          timeouts: { stop: 30_000, gone: 30_000, launched: 45_000, healthy: 30_000 },
          progressDeadlineMs: 120_000,
        },
        at: { file: 'generated' },
      };
    });
    for (const d of desired)
      if ((d.strategy.maxUnavailable ?? 0) + (d.strategy.maxSurge ?? 0) < 1) d.strategy.maxSurge = 1;
    const start = clock.now();
    let result: ApplyResult | undefined;
    try {
      result = await apply(
        { desired: { source: 'generated', services: desired, unchanged: false } },
        { api, clock, parallel: s.parallel, failFast: s.failFast, lock: { settleMs: 100, ttlMs: 30_000 } },
      );
    } catch (error) {
      result = (error as { result?: ApplyResult }).result;
      if (result === undefined && isFleetError(error)) {
        // fleet failed the one observation of the cluster past the client's retries: apply stops
        // before planning, so it must have changed nothing
        const writes = sim.cluster.requests.filter(
          (r) => r.time >= start && r.method !== 'GET' && r.status > 0,
        );
        expect(writes, `no write after a failed observation: ${String(error)}`).toEqual([]);
        return;
      }
      expect(result, `an apply failure carries its result: ${String(error)}`).toBeDefined();
      expect((error as { code?: string }).code).toBe('ERR_APPLY_FAILED');
    }
    sim.cluster.clearFaults();
    const end = clock.now();
    for (const d of desired) {
      const outcome = result!.services.find((o) => o.service === d.service)!;
      expect(outcome, d.service).toBeDefined();
      if (outcome.error) expect(String(outcome.error.code), JSON.stringify(outcome.error)).toMatch(/^ERR_/);
      expect(sim.cluster.units().some((u) => u.name === lockUnitName(d.service))).toBe(false);
      // capacity: the service's own guarantee, at every moment of the apply (counted against the
      // count it had and the count it gets, whichever is smaller)
      const before = services.find((x) => x.service === d.service)!.count;
      const guarantee = Math.max(0, Math.min(before, d.count) - (d.strategy.maxUnavailable ?? 0));
      expect(
        sim.cluster.timeline.minActive(instanceOf(d.service), start, end),
        d.service,
      ).toBeGreaterThanOrEqual(guarantee);
      const hashes = sim.cluster
        .units()
        .filter((u) => instanceOf(d.service)(u.name) && Number(/@(\d+)/.exec(u.name)![1]) <= d.count)
        .map((u) => u.hash);
      if (outcome.outcome === 'succeeded' || outcome.outcome === 'unchanged')
        expect(hashes).toEqual(Array(d.count).fill(unitHash(d.unitFile)));
      if (outcome.outcome === 'rolled-back') expect(new Set(hashes)).toEqual(new Set([unitHash(OLD)]));
    }
  } finally {
    api.close();
    await sim.close();
  }
}

describe('apply of several services under random faults', () => {
  it(`keeps every service at or above its own guarantee (${RUNS} schedules)`, {
    timeout: 60_000 + RUNS * 5_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(scheduleArb, async (s) => {
        try {
          await runSchedule(s);
        } catch (error) {
          console.error(`failing schedule: ${JSON.stringify(s)}`);
          throw error;
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
  });
});
