/**
 * Property test (issue 20): machine-aware ordering (`machineAware`) under faults — machines die
 * mid-rollout, fleet's API drops and fails requests — and still no two instances of one machine
 * are ever down at once. Per live machine, the instances it ran when the rollout started are
 * sampled on the simulator's timeline at every change: at most one of them is not running at any
 * instant. (A machine that dies takes its instances down itself: it is left out, and so are they.)
 * Runs: FS_MACHINE_AWARE_RUNS (default FS_PROPERTY_RUNS / 5, at least 20); seed: FS_PROPERTY_SEED.
 */
import type { FaultSpec, TimelineEvent } from '@fleet-service/fleet-sim';
import { lockUnitName, rollout } from '@fleet-service/rollout';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededSim } from './fault-schedules.js';
import { version } from './sim-harness.js';

const RUNS = Number(
  process.env.FS_MACHINE_AWARE_RUNS ??
    Math.max(20, Math.floor(Number(process.env.FS_PROPERTY_RUNS ?? 1_000) / 5)),
);
const SEED = process.env.FS_PROPERTY_SEED === undefined ? undefined : Number(process.env.FS_PROPERTY_SEED);
const NEW = version('new');

const apiFault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('api-error' as const),
    route: fc.constantFrom('GET /state', 'GET /units/*', 'PUT /units/*', '*'),
    status: fc.constantFrom(500, 502),
    probability: fc.double({ min: 0.05, max: 0.3, noNaN: true }),
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('api-drop-response' as const),
    route: fc.constantFrom('PUT /units/*', 'DELETE /units/*'),
    probability: fc.double({ min: 0.1, max: 0.4, noNaN: true }),
    count: fc.integer({ min: 1, max: 2 }),
  }),
);

const schedule = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  machines: fc.integer({ min: 2, max: 4 }),
  count: fc.integer({ min: 3, max: 8 }),
  maxUnavailable: fc.integer({ min: 1, max: 4 }),
  maxSurge: fc.integer({ min: 0, max: 1 }),
  replaceMode: fc.constantFrom('recreate' as const, 'in-place' as const),
  /** Which machine dies (index into the sorted ids) and when; several can. */
  deaths: fc.array(fc.record({ machine: fc.nat(3), atMs: fc.integer({ min: 0, max: 40_000 }) }), {
    maxLength: 2,
  }),
  apiFaults: fc.array(apiFault, { maxLength: 2 }),
});
type Schedule = typeof schedule extends fc.Arbitrary<infer T> ? T : never;

/**
 * Replays the timeline: each instance 1..N is charged to the machine it last ran on. After every
 * instant, a live machine with two or more of its instances not running is a violation (returned
 * as `[time − start, machine, units]`). A machine is left out from its death on: it took its
 * instances down itself.
 */
function mostDownAtOnce(
  events: readonly TimelineEvent[],
  count: number,
  start: number,
  end: number,
  diesAt: ReadonlyMap<string, number>,
): [number, string, string[]][] {
  const lastOn = new Map<string, string>();
  const running = new Map<string, Set<string>>(); // unit → machines it runs on
  const isInstance = (u: string) => {
    const m = /^web@(\d+)\.service$/.exec(u);
    return m !== null && Number(m[1]) <= count;
  };
  const violations: [number, string, string[]][] = [];
  let k = 0;
  while (k < events.length && events[k]!.time <= end) {
    const instant = events[k]!.time;
    for (; k < events.length && events[k]!.time === instant; k++) {
      const e = events[k]!;
      if (e.kind !== 'systemd' || !e.machineID || !isInstance(e.unit)) continue;
      const on = running.get(e.unit) ?? new Set<string>();
      if (e.to?.endsWith('/active/running')) {
        on.add(e.machineID);
        lastOn.set(e.unit, e.machineID);
      } else on.delete(e.machineID);
      running.set(e.unit, on);
    }
    if (instant < start) continue;
    const down = new Map<string, string[]>();
    for (const [unit, machine] of lastOn)
      if ((running.get(unit)?.size ?? 0) === 0 && instant < (diesAt.get(machine) ?? Infinity))
        down.set(machine, [...(down.get(machine) ?? []), unit]);
    for (const [machine, units] of down)
      if (units.length > 1) violations.push([instant - start, machine.slice(0, 6), units]);
  }
  return violations;
}

async function run(s: Schedule): Promise<void> {
  const { clock, sim, api } = await seededSim({ machines: s.machines, seed: s.seed, count: s.count });
  try {
    const start = clock.now();
    const ids = sim.cluster
      .machines()
      .map((m) => m.id)
      .sort();
    for (const d of s.deaths)
      sim.cluster.addFault({
        kind: 'machine-dies',
        machineID: ids[d.machine % ids.length]!,
        atMs: start + d.atMs,
      });
    for (const f of s.apiFaults) sim.cluster.addFault(f);

    await rollout(
      {
        service: 'web',
        unitFile: NEW,
        count: s.count,
        maxUnavailable: s.maxUnavailable,
        maxSurge: s.maxSurge,
        allowOutage: true,
        machineAware: true,
        replaceMode: s.replaceMode,
        minHealthyMs: 2_000,
        pollIntervalMs: 1_000,
        timeouts: { stop: 30_000, gone: 30_000, launched: 45_000, healthy: 30_000 },
        progressDeadlineMs: 120_000,
        lock: { settleMs: 100, ttlMs: 30_000 },
      },
      { api, clock },
    ).catch(() => undefined); // any outcome: the property is about what was down at once
    sim.cluster.clearFaults();
    const end = clock.now();

    const diesAt = new Map<string, number>();
    for (const d of s.deaths) {
      const id = ids[d.machine % ids.length]!;
      diesAt.set(id, Math.min(diesAt.get(id) ?? Infinity, start + d.atMs));
    }
    expect(mostDownAtOnce(sim.cluster.timeline.events, s.count, start, end, diesAt)).toEqual([]);
    expect(sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
  } finally {
    await sim.close();
  }
}

describe('machine-aware rollouts while machines die', () => {
  it('a machine died and fleet moved its instances: the plan grouped web@5 (by then on the live machine) with web@6; the gate keeps them apart', async () => {
    await run({
      seed: 647693,
      machines: 2,
      count: 7,
      maxUnavailable: 2,
      maxSurge: 0,
      replaceMode: 'recreate',
      deaths: [{ machine: 0, atMs: 15854 }],
      apiFaults: [],
    });
  });

  it(`never have two instances of one machine down at once (${RUNS} schedules)`, {
    timeout: 60_000 + RUNS * 3_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        try {
          await run(s);
        } catch (error) {
          console.error(`failing schedule: ${JSON.stringify(s)}`);
          throw error;
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
  });
});
