// Requests fs makes, three ways:
// 1. the capacity check does not grow with N: requests per replaced instance at N =
//    FS_BENCH_REQUESTS_BIG (default 100) ÷ at N = 10, batch 1, 10 machines (library on the
//    simulator's ManualClock, so the count does not depend on machine load). Goal ≤ 1.5.
// 2. against the ORIGINAL Python fs's measured figures (issue 14): a 3-instance update on an empty
//    cluster (it made 73–78) and with 500 unrelated units (181–202), by the built `fs create` in
//    its own process against a simulator at FS_BENCH_PY_SPEED (default 1, fleet's own timings),
//    counted from the simulator's request log. Goal: ≤ 60 requests (60/73 of the Python figure).
// 3. per replaced instance (the cost of 10 more: N=20 against N=10) beside FS_BENCH_UNRELATED_BIG
//    (default 10,000) unrelated units ÷ beside FS_BENCH_UNRELATED (default 2,000): the cluster's
//    size must not show per instance. Goal ≤ 1.05, and ≤ 1 request per instance more than on an
//    empty cluster (where one /state page answers what per-instance reads answer in a big one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient, serializeUnitFile } from '@fleet-service/fleet-client';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { rollout } from '@fleet-service/rollout';
import { cliIsBuilt, runFs } from './fs-process.js';
import { addUnrelatedUnits, SETTINGS, simOnManualClock, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const BIG = Number(process.env.FS_BENCH_REQUESTS_BIG ?? 100);
const UNRELATED = Number(process.env.FS_BENCH_UNRELATED ?? 2_000);
const UNRELATED_BIG = Number(process.env.FS_BENCH_UNRELATED_BIG ?? 10_000);
const PY_SPEED = Number(process.env.FS_BENCH_PY_SPEED ?? 1);
/** The original fs's measured requests for a 3-instance update (issue 14). */
const PYTHON = { empty: [73, 78], unrelated500: [181, 202] } as const;

/** Update N running instances, batch 1, on 10 machines; requests per replaced instance. */
async function perReplaced(n: number, unrelated = 0) {
  const { sim, api, clock } = await simOnManualClock(10);
  try {
    await addUnrelatedUnits(api, unrelated);
    await rollout(
      {
        service: 'web',
        unitFile: unitFile('1'),
        count: n,
        maxUnavailable: 25,
        allowOutage: true,
        ...SETTINGS,
      },
      { api, clock },
    );
    const before = sim.cluster.requests.length;
    const result = await rollout(
      { service: 'web', unitFile: unitFile('2'), count: n, ...SETTINGS, pollIntervalMs: 1_000 },
      { api, clock },
    );
    const log = sim.cluster.requests.slice(before);
    const states = log.filter((r) => r.method === 'GET' && /\/state/.test(r.path)).length;
    // the /units listing is per run (fleet has no per-service filter), not per instance
    const listing = log.filter((r) => r.method === 'GET' && /\/units$/.test(r.path)).length;
    const per = (x: number) => x / result.replaced.length;
    return {
      total: log.length - listing,
      replaced: result.replaced.length,
      requests: per(log.length - listing),
      states: per(states),
      listing,
      units: sim.cluster.units().length,
    };
  } finally {
    await sim.close();
  }
}

/** `fs create web web.service --count 3` in its own process against a real-clock simulator. */
async function pythonComparison(unrelated: number) {
  const sim = await startFleetSim({ machines: 3, speed: PY_SPEED, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-py-'));
  try {
    const api = createFleetClient({ endpoint: sim.endpoint });
    await addUnrelatedUnits(api, unrelated);
    const file = join(dir, 'web.service');
    writeFileSync(file, serializeUnitFile(unitFile('1')));
    const before = sim.cluster.requests.length;
    await runFs(['create', 'web', file, '--count', '3', '--endpoint', sim.endpoint, '-o', 'json']);
    const log = sim.cluster.requests.slice(before);
    return {
      requests: log.length,
      unitsPages: log.filter((r) => r.method === 'GET' && /\/units$/.test(r.path)).length,
      writes: log.filter((r) => r.method !== 'GET').length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const small = await perReplaced(10);
  const big = await perReplaced(BIG);
  out.push({
    name: `requests per replaced instance, N=${BIG} vs N=10 (batch 1, capacity check)`,
    ratio: big.requests / small.requests,
    baseline: 'per replaced instance at N ÷ at N=10, same run (the per-run /units listing aside)',
    goal: '≤ 1.5',
    max: 1.5,
    detail: {
      perInstance10: +small.requests.toFixed(1),
      [`perInstance${BIG}`]: +big.requests.toFixed(1),
      stateReads10: +small.states.toFixed(1),
      [`stateReads${BIG}`]: +big.states.toFixed(1),
    },
  });
  if (cliIsBuilt()) {
    for (const [label, unrelated, python] of [
      ['empty cluster', 0, PYTHON.empty],
      ['500 unrelated units', 500, PYTHON.unrelated500],
    ] as const) {
      const r = await pythonComparison(unrelated);
      out.push({
        name: `fs create --count 3, ${label}: requests vs the original Python fs`,
        ratio: r.requests / python[0],
        baseline: `fs's requests ÷ the Python fs's measured ${python[0]} (its range ${python[0]}–${python[1]})`,
        goal: '≤ 60 requests',
        max: 60 / python[0],
        detail: { requests: r.requests, unitsListingPages: r.unitsPages, writes: r.writes, speed: PY_SPEED },
      });
    }
  } else {
    out.push({
      name: 'requests vs the Python fs (packages/cli not built: build first)',
      ratio: Number.NaN,
      baseline: '-',
      also: { built: false },
    });
  }
  // per instance = what one more replaced instance costs (N=20 against N=10), so a run's own
  // requests (lock, record) are not spread over its instances. Under the lock the service's states
  // are read again the cheaper way: the /state listing while it is one page, one read per instance
  // beside thousands of units — so a cluster of a few units costs up to one read per instance less
  // than a big one; beyond that, the cluster's size must not show.
  const marginal = (a: { total: number; replaced: number }, b: { total: number; replaced: number }) =>
    (b.total - a.total) / (b.replaced - a.replaced);
  const sized = async (unrelated: number) => {
    const runs = [await perReplaced(10, unrelated), await perReplaced(20, unrelated)] as const;
    return { per: marginal(...runs), runs };
  };
  const none = await sized(0);
  const mid = await sized(UNRELATED);
  const huge = await sized(UNRELATED_BIG);
  out.push({
    name: `requests per replaced instance, ${UNRELATED_BIG} unrelated units vs ${UNRELATED} (N=10 → 20)`,
    ratio: huge.per / mid.per,
    baseline: `requests of 10 more replaced instances beside ${UNRELATED_BIG} unrelated units ÷ beside ${UNRELATED}, same run`,
    goal: '≤ 1.05 (the cluster size does not show per instance), ≤ 1 read per instance more than on an empty cluster; the /units listing exactly once',
    max: 1.05,
    also: {
      'listing read once': [...mid.runs, ...huge.runs].every(
        (m) => m.listing === Math.floor(m.units / 100) + 1,
      ),
      '≤ 1 more than empty': mid.per - none.per <= 1 && huge.per - none.per <= 1,
    },
    detail: {
      perInstanceEmpty: +none.per.toFixed(2),
      [`perInstance${UNRELATED}`]: +mid.per.toFixed(2),
      [`perInstance${UNRELATED_BIG}`]: +huge.per.toFixed(2),
      listingPagesBig: huge.runs[0].listing,
    },
  });
  return out;
}
