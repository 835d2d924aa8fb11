// Overhead: rollout time on the simulator ÷ the sim's own transition time for the same steps
// (what an engine that reacted instantly would need), at N = 10 and FS_BENCH_ROLLOUT_N (default 100).
// Both are measured on the sim's ManualClock in the same run. Goal ≤ 1.05 (issue 4).
import { rollout } from '@fleet-service/rollout';
import { SETTINGS, simOnManualClock, simTransitionTime, stepRecorder, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const BIG = Number(process.env.FS_BENCH_ROLLOUT_N ?? 100);
const BATCH = Number(process.env.FS_BENCH_ROLLOUT_BATCH ?? 1);
/** [N, pollIntervalMs]: the lag is at most one poll per wait, so the ratio is shown at the default 1 s and at 250 ms. */
const RUNS: [number, number][] = [
  [10, 1_000],
  [10, 250],
  [BIG, 1_000],
  [BIG, 250],
];

export default async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [n, poll] of RUNS) {
    const { sim, api, clock } = await simOnManualClock(5);
    try {
      await rollout(
        { service: 'web', unitFile: unitFile('1'), count: n, maxUnavailable: 25, ...SETTINGS },
        { api, clock },
      );
      const rec = stepRecorder();
      const t0 = clock.now();
      const wall0 = performance.now();
      let newHash = '';
      await rollout(
        {
          service: 'web',
          unitFile: unitFile('2'),
          count: n,
          maxUnavailable: BATCH,
          ...SETTINGS,
          pollIntervalMs: poll,
        },
        {
          api,
          clock,
          onEvent: (e) => {
            if (e.type === 'plan') newHash = e.plan.newHash;
            rec.onEvent(e);
          },
        },
      );
      const measured = clock.now() - t0;
      const ideal = simTransitionTime(sim, rec.windows(), newHash, SETTINGS.minHealthyMs);
      out.push({
        name: `overhead N=${n} batch=${BATCH} poll=${poll}ms`,
        ratio: measured / ideal,
        baseline: 'rollout time on the sim ÷ sim transition time (+ minHealthy)',
        goal: '≤ 1.05',
        detail: {
          rolloutSimMs: measured,
          transitionSimMs: ideal,
          realMs: Math.round(performance.now() - wall0),
          pollIntervalMs: poll,
        },
      });
    } finally {
      await sim.close();
    }
  }
  return out;
}
