// Requests per replaced instance with 0 and FS_BENCH_UNRELATED (default 10,000, the issue's
// size; smaller for a quick run) unrelated units in the cluster, against the old fs's pattern (every 0.5 s: all pages of
// /units and /state) computed for the same runs. Goal: identical per-instance cost with and without.
import { rollout } from '@fleet-service/rollout';
import { addUnrelatedUnits, oldFsRequests, SETTINGS, simOnManualClock, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const N = Number(process.env.FS_BENCH_REQUESTS_N ?? 10);
const UNRELATED = Number(process.env.FS_BENCH_UNRELATED ?? 10_000);

async function run(unrelated: number) {
  const { sim, api, clock } = await simOnManualClock(5);
  try {
    await addUnrelatedUnits(api, unrelated);
    await rollout(
      { service: 'web', unitFile: unitFile('1'), count: N, maxUnavailable: 5, ...SETTINGS },
      { api, clock },
    );
    const before = sim.cluster.requests.length;
    const t0 = clock.now();
    const result = await rollout(
      { service: 'web', unitFile: unitFile('2'), count: N, ...SETTINGS, pollIntervalMs: 1_000 },
      { api, clock },
    );
    const log = sim.cluster.requests.slice(before);
    const listPages = log.filter((r) => r.method === 'GET' && /\/units$/.test(r.path)).length;
    const units = sim.cluster.units().length;
    const states = sim.cluster.unitStates().length;
    return {
      replaced: result.replaced.length,
      requests: log.length,
      listPages,
      old: oldFsRequests(clock.now() - t0, units, states),
    };
  } finally {
    await sim.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const small = await run(0);
  const big = await run(UNRELATED);
  const per = (r: typeof small) => r.requests / r.replaced;
  const perWaits = (r: typeof small) => (r.requests - r.listPages) / r.replaced;
  return [
    {
      name: `requests per replaced instance, ${UNRELATED} unrelated units vs 0`,
      ratio: per(big) / per(small),
      baseline: 'fs with N unrelated units ÷ fs with none (all requests)',
      goal: '1 (identical)',
      detail: { perInstance0: per(small), perInstanceBig: per(big), observePagesBig: big.listPages },
    },
    {
      name: 'requests per replaced instance excluding the one observation',
      ratio: perWaits(big) / perWaits(small),
      baseline: 'waits + mutations with unrelated units ÷ without',
      goal: '1 (identical)',
      detail: { perInstance0: perWaits(small), perInstanceBig: perWaits(big) },
    },
    {
      name: `requests per replaced instance vs the old fs pattern, ${UNRELATED} unrelated units`,
      ratio: big.requests / big.old,
      baseline: 'fs ÷ old fs (0.5 s polls of every /units and /state page), same run',
      detail: {
        fs: big.requests,
        oldFs: big.old,
        fsPerInstance: per(big),
        oldFsPerInstance: big.old / big.replaced,
      },
    },
    {
      name: 'requests vs the old fs pattern, no unrelated units',
      ratio: small.requests / small.old,
      baseline: 'fs ÷ old fs, same run',
      detail: { fs: small.requests, oldFs: small.old },
    },
  ];
}
