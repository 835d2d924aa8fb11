// Scale (issue 11, defect 1): planning and the engine's per-step bookkeeping for FS_BENCH_SCALE_N
// instances (default 100,000, the size) against N/10 measured in the same run. Ratio:
// time(N) ÷ (10 × time(N/10)); ≈ 1 means linear, a quadratic spot shows as ≈ 10. The fleet is an
// in-memory FleetApi that answers at once (bench/memory-fleet-api.ts), so what is measured is the
// engine, not the simulator. Also the longest event-loop stall during the N run (how late a Ctrl-C
// or a lock refresh would be answered).
import { unitHash } from '@fleet-service/fleet-client';
import { ManualClock } from '@fleet-service/fleet-sim';
import { type ClusterSnapshot, planRollout, type RolloutSpec, runPlan } from '@fleet-service/rollout';
import { memoryFleetApi } from './memory-fleet-api.js';
import { unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const N = Number(process.env.FS_BENCH_SCALE_N ?? 100_000);
const SMALL = Math.max(1, Math.round(N / 10));
const SETTINGS = { minHealthyMs: 0, pollIntervalMs: 100, maxUnavailable: 3 } as const;

/** A snapshot of `n` instances running version 1 on 7 machines. */
function runningService(n: number): ClusterSnapshot {
  const options = unitFile('1');
  const hash = unitHash(options);
  const snapshot: ClusterSnapshot = { service: 'web', units: [], states: [], serverVersion: '1.0.0' };
  for (let i = 1; i <= n; i++) {
    const name = `web@${i}.service`;
    const machineID = `m${i % 7}`;
    snapshot.units.push({ name, options, desiredState: 'launched', currentState: 'launched', machineID });
    snapshot.states.push({
      name,
      machineID,
      hash,
      systemdLoadState: 'loaded',
      systemdActiveState: 'active',
      systemdSubState: 'running',
    });
  }
  return snapshot;
}

const empty = (): ClusterSnapshot => ({ service: 'web', units: [], states: [], serverVersion: '1.0.0' });
const spec = (n: number, extra: Partial<RolloutSpec> = {}): RolloutSpec => ({
  service: 'web',
  unitFile: unitFile('2'),
  count: n,
  ...SETTINGS,
  ...extra,
});

/** The fastest of three plans (a single run of a few ms is mostly noise and GC). */
function timePlan(n: number, snapshot: ClusterSnapshot, extra: Partial<RolloutSpec> = {}): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    planRollout(spec(n, extra), snapshot);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Create `n` instances on the in-memory fleet: wall ms and the longest event-loop stall. */
async function timeCreate(n: number): Promise<{ ms: number; stallMs: number; events: number }> {
  const { api } = memoryFleetApi();
  const clock = new ManualClock(1_000_000, { autoAdvance: true });
  let events = 0;
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  const t0 = performance.now();
  try {
    const plan = planRollout(spec(n), empty());
    const result = await runPlan(plan, { api, clock, onEvent: () => void events++ });
    if (result.added.length !== n) throw new Error(`created ${result.added.length} of ${n}`);
  } finally {
    clearInterval(timer);
  }
  return { ms: performance.now() - t0, stallMs, events };
}

export default async function bench(): Promise<BenchResult[]> {
  const ratio = (big: number, small: number) => big / (10 * small);
  const out: BenchResult[] = [];
  for (const [label, snapshot, extra] of [
    ['fresh create', empty, {}],
    ['replace running', runningService, {}],
    ['replace running, machine-aware', runningService, { machineAware: true }],
  ] as const) {
    const small = timePlan(SMALL, snapshot(SMALL), extra);
    const big = timePlan(N, snapshot(N), extra);
    out.push({
      name: `plan ${label}, ${N} instances`,
      ratio: ratio(big, small),
      baseline: `plan time ÷ 10 × plan time for ${SMALL} (1 = linear)`,
      detail: { ms: Math.round(big), smallMs: Math.round(small) },
      goal: '≈ 1 (linear): ≤ 1.5',
      max: 1.5,
    });
  }
  await timeCreate(SMALL); // warm-up
  const small = await timeCreate(SMALL);
  const big = await timeCreate(N);
  out.push({
    name: `plan + execute + result, fresh create of ${N} instances (instant in-memory fleet)`,
    ratio: ratio(big.ms, small.ms),
    baseline: `wall time ÷ 10 × wall time for ${SMALL} (1 = linear)`,
    detail: {
      ms: Math.round(big.ms),
      smallMs: Math.round(small.ms),
      events: big.events,
      longestStallMs: Math.round(big.stallMs),
    },
    goal: '≈ 1 (linear): ≤ 1.5; longest stall < 1,000 ms',
    max: 1.5,
    also: { 'longest stall < 1,000 ms': big.stallMs < 1_000 },
  });
  return out;
}
