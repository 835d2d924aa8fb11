// An unchanged rerun (issue 14): `fs create` with the contents and count already running, in its
// own process against a simulator in this process. Goal: no write at all (no lock, no record) and
// a median wall time ≤ 3 × `node -e 0`'s, FS_BENCH_NOOP_RUNS (default 15) alternating runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient, serializeUnitFile } from '@fleet-service/fleet-client';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { rollout } from '@fleet-service/rollout';
import { cliIsBuilt, measureNode, median, runFs } from './fs-process.js';
import { unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const RUNS = Number(process.env.FS_BENCH_NOOP_RUNS ?? 15);

export default async function bench(): Promise<BenchResult[]> {
  if (!cliIsBuilt())
    return [
      {
        name: 'unchanged rerun (packages/cli not built: build first)',
        ratio: Number.NaN,
        baseline: '-',
        also: { built: false },
      },
    ];
  const sim = await startFleetSim({ machines: 3, speed: 10, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-noop-'));
  try {
    const api = createFleetClient({ endpoint: sim.endpoint });
    await rollout(
      { service: 'web', unitFile: unitFile('1'), count: 3, minHealthyMs: 400, pollIntervalMs: 100 },
      { api },
    );
    const file = join(dir, 'web.service');
    writeFileSync(file, serializeUnitFile(unitFile('1')));
    const args = ['create', 'web', file, '--count', '3', '--endpoint', sim.endpoint, '-o', 'json'];
    await runFs(args); // warm the file cache
    const before = sim.cluster.requests.length;
    const fs: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push((await measureNode(['-e', '0'])).wallMs);
      fs.push((await runFs(args)).wallMs);
    }
    const log = sim.cluster.requests.slice(before);
    const writes = log.filter((r) => r.method !== 'GET').length;
    return [
      {
        name: 'unchanged rerun of fs create (3 instances)',
        ratio: median(fs) / median(node),
        baseline: 'median wall ÷ median wall of `node -e 0`, alternating runs',
        goal: '≤ 3× and no write',
        max: 3,
        also: { 'no write': writes === 0 },
        detail: {
          medianMs: Math.round(median(fs)),
          nodeMs: Math.round(median(node)),
          runs: RUNS,
          writes,
          requestsPerRun: +(log.length / RUNS).toFixed(1),
        },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}
