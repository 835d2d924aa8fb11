// Peak memory of a FS_BENCH_MEMORY_N-instance (default 1,000, the size; about a minute) rollout with
// batch FS_BENCH_MEMORY_BATCH (default 50), simulator in the same process. Ratio: peak heap during the
// rollout ÷ heap just before it (the seeded cluster), sampled every 20 ms.
import { rollout } from '@fleet-service/rollout';
import { SETTINGS, simOnManualClock, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const N = Number(process.env.FS_BENCH_MEMORY_N ?? 1_000);
const BATCH = Number(process.env.FS_BENCH_MEMORY_BATCH ?? 50);

export default async function bench(): Promise<BenchResult[]> {
  const { sim, api, clock } = await simOnManualClock(10);
  try {
    await rollout(
      { service: 'web', unitFile: unitFile('1'), count: N, maxUnavailable: BATCH, ...SETTINGS },
      { api, clock },
    );
    globalThis.gc?.();
    const base = process.memoryUsage();
    let peakHeap = base.heapUsed;
    let peakRss = base.rss;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 20);
    try {
      await rollout(
        { service: 'web', unitFile: unitFile('2'), count: N, maxUnavailable: BATCH, ...SETTINGS },
        { api, clock },
      );
    } finally {
      clearInterval(timer);
    }
    const mb = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
    return [
      {
        name: `peak heap, ${N}-instance rollout, batch ${BATCH}`,
        ratio: peakHeap / base.heapUsed,
        baseline: 'peak heap during the rollout ÷ heap before it (same process, sim included)',
        detail: {
          baseHeapMB: mb(base.heapUsed),
          peakHeapMB: mb(peakHeap),
          baseRssMB: mb(base.rss),
          peakRssMB: mb(peakRss),
        },
      },
    ];
  } finally {
    await sim.close();
  }
}
