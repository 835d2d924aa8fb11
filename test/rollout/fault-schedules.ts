/**
 * Random fault schedules against the simulator (issue 4): the schedule arbitrary and `runSchedule`,
 * which runs one schedule and asserts every invariant. Shared by the property test and the
 * regression tests that replay schedules it once found.
 */
import { createFleetClient, isFleetError, type UnitOption, unitHash } from '@fleet-service/fleet-client';
import { type FaultSpec, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import {
  isRolloutError,
  lockUnitName,
  type RolloutEvent,
  type RolloutResult,
  recordUnitName,
  rollout,
} from '@fleet-service/rollout';
import fc from 'fast-check';
import { expect } from 'vitest';
import { version } from './sim-harness.js';

const OLD = version('old');
const NEW = version('new');
const H_OLD = unitHash(OLD);
const H_NEW = unitHash(NEW);
const NEW_MATCH = { option: { section: 'Service', name: 'Environment', value: 'VERSION=new' } };
const MIN_HEALTHY = 2_000;

const routes = [
  'GET /units/*',
  'PUT /units/*',
  'DELETE /units/*',
  'GET /state',
  'GET /units',
  'GET /machines',
  '*',
];
const apiFault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('api-error' as const),
    route: fc.constantFrom(...routes),
    status: fc.constantFrom(500, 502),
    probability: fc.double({ min: 0.05, max: 0.4, noNaN: true }),
    count: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('api-etcd-unavailable' as const),
    route: fc.constantFrom(...routes),
    probability: fc.double({ min: 0.05, max: 0.4, noNaN: true }),
    count: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({
    kind: fc.constant('api-reset' as const),
    route: fc.constantFrom(...routes),
    probability: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('api-drop-response' as const),
    route: fc.constantFrom('PUT /units/*', 'DELETE /units/*'),
    probability: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
    count: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({
    kind: fc.constant('api-latency' as const),
    route: fc.constantFrom(...routes),
    delayMs: fc.integer({ min: 10, max: 3_000 }),
    probability: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
    count: fc.integer({ min: 1, max: 10 }),
  }),
);
const versionFault: fc.Arbitrary<FaultSpec | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  fc.constant({ kind: 'unit-start-fails' as const, match: NEW_MATCH }),
  fc.record({
    kind: fc.constant('unit-start-fails' as const),
    match: fc.constant(NEW_MATCH),
    after: fc.integer({ min: 100, max: MIN_HEALTHY - 600 }),
  }),
  fc.record({
    kind: fc.constant('unit-start-fails' as const),
    match: fc.constant(NEW_MATCH),
    after: fc.integer({ min: 100, max: MIN_HEALTHY - 600 }),
    flapping: fc.constant(true),
  }),
  fc.record({
    kind: fc.constant('unit-slow-start' as const),
    match: fc.constant(NEW_MATCH),
    delayMs: fc.integer({ min: 100, max: 40_000 }),
  }),
);

export const schedule = fc
  .record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    count: fc.integer({ min: 1, max: 3 }),
    maxUnavailable: fc.integer({ min: 0, max: 2 }),
    maxSurge: fc.integer({ min: 0, max: 1 }),
    replaceMode: fc.constantFrom('recreate' as const, 'in-place' as const),
    onFailure: fc.constantFrom('abort' as const, 'pause' as const, 'rollback' as const),
    versionFault,
    apiFaults: fc.array(apiFault, { maxLength: 3 }),
    machineDiesAt: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: undefined }),
    abortAtStep: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  })
  .filter((s) => s.maxUnavailable + s.maxSurge >= 1);

export type Schedule = typeof schedule extends fc.Arbitrary<infer T> ? T : never;

const isInstance = (name: string) => /^web@\d+\.service$/.test(name);

/** What a run leaves behind for a closer look (regression tests, debugging). */
export interface ScheduleTrace {
  /** Every event the rollout sent. */
  events: RolloutEvent[];
  /** The simulator's systemd and /state changes of instances: `[time − start, kind, unit, machine, to, hash]`. */
  timeline: [number, string, string, string, string, string][];
}

/** A simulator on a manual clock with the old version running on `web@1..count` (the caller closes it). */
export async function seededSim(o: { machines: number; seed: number; count: number }) {
  const clock = new ManualClock(1_000_000, { autoAdvance: true, idleTurns: 2 });
  const sim = await startFleetSim({ clock, machines: o.machines, seed: o.seed });
  const api = createFleetClient({
    endpoint: sim.endpoint,
    clock,
    retry: { limit: 3, initialDelay: 100, maxDelay: 1_000, factor: 2 },
  });
  await api.createUnit({ name: 'web@.service', options: OLD, desiredState: 'inactive' });
  for (let i = 1; i <= o.count; i++)
    await api.createUnit({ name: `web@${i}.service`, options: OLD, desiredState: 'launched' });
  await sim.cluster.waitFor(
    () =>
      sim.cluster.unitStates().filter((x) => x.hash === H_OLD && x.systemdActiveState === 'active').length ===
      o.count,
    { timeoutMs: 60_000 },
  );
  return { clock, sim, api };
}

/** Run one schedule and assert every invariant. `trace`, if given, is filled even when an assertion fails. */
export async function runSchedule(s: Schedule, trace?: ScheduleTrace): Promise<void> {
  const { clock, sim, api } = await seededSim({ machines: 3, seed: s.seed, count: s.count });
  try {
    const start = clock.now();
    if (s.versionFault) sim.cluster.addFault(s.versionFault);
    for (const f of s.apiFaults) sim.cluster.addFault(f);
    if (s.machineDiesAt !== undefined) {
      const victim = sim.cluster.units().find((u) => u.name === 'web@1.service')?.machineID;
      sim.cluster.addFault({ kind: 'machine-dies', machineID: victim, atMs: start + s.machineDiesAt });
    }
    const controller = new AbortController();
    let started = 0;
    let outcome: RolloutResult | undefined;
    let failure: unknown;
    try {
      outcome = await rollout(
        {
          service: 'web',
          unitFile: NEW as UnitOption[],
          count: s.count,
          maxUnavailable: s.maxUnavailable,
          maxSurge: s.maxSurge,
          replaceMode: s.replaceMode,
          onFailure: s.onFailure,
          minHealthyMs: MIN_HEALTHY,
          pollIntervalMs: 1_000,
          timeouts: { stop: 30_000, gone: 30_000, launched: 45_000, healthy: 30_000 },
          progressDeadlineMs: 120_000,
          lock: { settleMs: 100, ttlMs: 30_000 },
        },
        {
          api,
          clock,
          signal: controller.signal,
          onEvent: (e) => {
            trace?.events.push(e);
            if (e.type === 'step-started' && ++started === s.abortAtStep) controller.abort();
          },
        },
      );
    } catch (error) {
      failure = error;
      outcome = (error as { result?: RolloutResult }).result;
    }
    sim.cluster.clearFaults();
    const end = clock.now();
    if (trace)
      for (const e of sim.cluster.timeline.events)
        if (
          (e.kind === 'systemd' || e.kind === 'state') &&
          e.time >= start &&
          e.time <= end &&
          isInstance(e.unit)
        )
          trace.timeline.push([
            e.time - start,
            e.kind,
            e.unit,
            (e.machineID ?? '').slice(0, 6),
            e.to ?? '',
            (e.hash ?? '').slice(0, 7),
          ]);
    const machineDied =
      sim.cluster.machines().some((m) => !m.alive) && (s.machineDiesAt ?? Infinity) <= end - start;

    // a typed error, or success
    if (failure !== undefined)
      expect(isRolloutError(failure) || isFleetError(failure), String(failure)).toBe(true);
    // the lock is released
    expect(sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
    // no orphan units: template, 1..N, the record, and spares the result says it kept
    const allowed = new Set([
      'web@.service',
      recordUnitName('web'),
      ...Array.from({ length: s.count }, (_, k) => `web@${k + 1}.service`),
      ...(outcome?.keptSpares ?? []),
    ]);
    const orphans = sim.cluster
      .units()
      .map((u) => u.name)
      .filter((n) => !allowed.has(n));
    expect(orphans).toEqual([]);

    const instances = sim.cluster
      .units()
      .filter((u) => isInstance(u.name) && Number(/@(\d+)/.exec(u.name)![1]) <= s.count);
    if (failure === undefined) {
      expect(instances.map((u) => u.hash)).toEqual(Array(s.count).fill(H_NEW));
    } else if (outcome?.outcome === 'rolled-back') {
      expect(instances.map((u) => u.hash)).toEqual(Array(s.count).fill(H_OLD));
    }
    if (!machineDied) {
      // capacity: at every moment of the rollout, running instances ≥ N − maxUnavailable
      const guarantee = Math.max(0, s.count - s.maxUnavailable);
      expect(sim.cluster.timeline.minActive(isInstance, start, end)).toBeGreaterThanOrEqual(guarantee);
      if (failure === undefined || outcome?.outcome === 'rolled-back') {
        const hash = failure === undefined ? H_NEW : H_OLD;
        expect(
          sim.cluster.timeline.activeAt(end, isInstance).filter((n) => allowed.has(n)).length,
        ).toBeGreaterThanOrEqual(s.count);
        expect(
          sim.cluster
            .unitStates()
            .filter((x) => isInstance(x.name ?? '') && x.hash === hash && x.systemdActiveState === 'active')
            .length,
        ).toBeGreaterThanOrEqual(s.count);
      }
    }
  } finally {
    await sim.close();
  }
}
