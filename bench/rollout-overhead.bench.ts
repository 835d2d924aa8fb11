// Overhead on the real clock (HTTP and CPU time count): rollout time ÷ the simulator's own
// transition time for the same steps (what an engine that reacted instantly would need), with
// the simulator at speed FS_BENCH_OVERHEAD_SPEED (default 10) and the engine's settings scaled
// alike (poll 100 ms, stability window 200 ms), at N = FS_BENCH_OVERHEAD_SIZES (default
// 10,100,1000; batch 1, and 50 from 1,000). Goal (issue 14): ≤ 1.05× + 20 ms per instance.
import { createFleetClient } from '@fleet-service/fleet-client';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { rollout } from '@fleet-service/rollout';
import { simTransitionTime, stepRecorder, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const SIZES = (process.env.FS_BENCH_OVERHEAD_SIZES ?? '10,100,1000').split(',').map(Number);
const SPEED = Number(process.env.FS_BENCH_OVERHEAD_SPEED ?? 10);
const SETTINGS = {
  minHealthyMs: 2_000 / SPEED,
  pollIntervalMs: 1_000 / SPEED,
  timeouts: { stop: 120_000, gone: 120_000, launched: 120_000, healthy: 120_000 },
  progressDeadlineMs: 600_000,
  lock: { settleMs: 100, ttlMs: 60_000 },
} as const;

export default async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of SIZES) {
    const batch = n >= 1_000 ? 50 : 1;
    const sim = await startFleetSim({ machines: 10, speed: SPEED, seed: 7 });
    try {
      const api = createFleetClient({ endpoint: sim.endpoint });
      await rollout(
        {
          service: 'web',
          unitFile: unitFile('1'),
          count: n,
          maxUnavailable: Math.max(batch, Math.ceil(n / 4)),
          maxParallel: 200,
          ...SETTINGS,
        },
        { api },
      );
      const rec = stepRecorder();
      let newHash = '';
      const t0 = performance.now();
      await rollout(
        { service: 'web', unitFile: unitFile('2'), count: n, maxUnavailable: batch, ...SETTINGS },
        {
          api,
          onEvent: (e) => {
            if (e.type === 'plan') newHash = e.plan.newHash;
            rec.onEvent(e);
          },
        },
      );
      const measured = performance.now() - t0;
      const ideal = simTransitionTime(sim, rec.windows(), newHash, SETTINGS.minHealthyMs);
      out.push({
        name: `overhead N=${n} batch=${batch}, sim speed ×${SPEED}, real clock`,
        ratio: measured / ideal,
        baseline: "rollout wall time ÷ the simulator's transition time for the same steps",
        goal: '≤ 1.05× + 20 ms per instance',
        max: 1.05 + (20 * n) / ideal,
        detail: { rolloutMs: Math.round(measured), transitionMs: Math.round(ideal) },
      });
    } finally {
      await sim.close();
    }
  }
  return out;
}
