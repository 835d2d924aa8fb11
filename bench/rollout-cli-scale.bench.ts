// The 1,000-instance update of issue 14, as a user runs it: the built `fs create` in its own
// process (measured alone: bench/fs-process.ts) against a simulator in this process (10 machines,
// speed FS_BENCH_CLI_SPEED, default 5), FS_BENCH_CLI_N instances (default 1,000), batch
// FS_BENCH_CLI_BATCH (default 50), the CLI's default settings otherwise.
// - wall time ÷ the simulator's own transition time for the same steps (what an engine that
//   reacted instantly would need; bench/rollout-helpers.ts). Goal ≤ 1.1.
// - fs's CPU time ÷ its wall time. Goal ≤ 0.10.
// - fs's peak RSS ÷ `node -e 0`'s, same run. Goal ≤ 100 MiB.
// - peak RSS with FS_BENCH_CLI_UNRELATED (default 10,000) unrelated units ÷ without. Goal ≤ 1.1 (flat).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient, serializeUnitFile, unitHash } from '@fleet-service/fleet-client';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { type RolloutEvent, rollout } from '@fleet-service/rollout';
import { cliIsBuilt, measureNode, type ProcessRun, runFs } from './fs-process.js';
import { addUnrelatedUnits, simTransitionTime, stepRecorder, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const N = Number(process.env.FS_BENCH_CLI_N ?? 1_000);
const BATCH = Number(process.env.FS_BENCH_CLI_BATCH ?? 50);
const SPEED = Number(process.env.FS_BENCH_CLI_SPEED ?? 5);
const UNRELATED = Number(process.env.FS_BENCH_CLI_UNRELATED ?? 10_000);
const MiB = 100;

/** Seed N instances of version 1, then run `fs create` to version 2; what fs and the sim did. */
async function update(unrelated: number): Promise<{ fs: ProcessRun; transitionMs: number }> {
  const sim = await startFleetSim({ machines: 10, speed: SPEED, seed: 7 });
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-cli-'));
  try {
    const api = createFleetClient({ endpoint: sim.endpoint, timeout: { request: 60_000 } });
    await addUnrelatedUnits(api, unrelated);
    await rollout(
      {
        service: 'web',
        unitFile: unitFile('1'),
        count: N,
        maxUnavailable: BATCH,
        maxParallel: 50,
        minHealthyMs: 400,
        pollIntervalMs: 200,
      },
      { api },
    );
    const file = join(dir, 'web.service');
    writeFileSync(file, serializeUnitFile(unitFile('2')));
    const fs = await runFs([
      'create',
      'web',
      file,
      '--count',
      String(N),
      '--max-unavailable',
      String(BATCH),
      '--endpoint',
      sim.endpoint,
      '-o',
      'ndjson',
    ]);
    const rec = stepRecorder();
    let minHealthy = 0;
    for (const line of fs.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as RolloutEvent;
      if (e.type === 'plan') minHealthy = e.plan.settings.minHealthyMs;
      rec.onEvent(e);
    }
    const transitionMs = simTransitionTime(sim, rec.windows(), unitHash(unitFile('2')), minHealthy);
    return { fs, transitionMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  if (!cliIsBuilt())
    return [
      {
        name: 'fs at scale (packages/cli not built: build first)',
        ratio: Number.NaN,
        baseline: '-',
        also: { built: false },
      },
    ];
  const node = await measureNode(['-e', '0']);
  const plain = await update(0);
  const big = await update(UNRELATED);
  const label = `${N} instances, batch ${BATCH}, sim --machines 10 --speed ${SPEED}`;
  return [
    {
      name: `fs create wall time, ${label}`,
      ratio: plain.fs.wallMs / plain.transitionMs,
      baseline: "fs's wall time ÷ the simulator's transition time for the same steps",
      goal: '≤ 1.1',
      max: 1.1,
      detail: { fsWallMs: Math.round(plain.fs.wallMs), simTransitionMs: Math.round(plain.transitionMs) },
    },
    {
      name: `fs CPU time, ${label}`,
      ratio: plain.fs.cpuMs / plain.fs.wallMs,
      baseline: "fs's CPU time (user + system) ÷ its wall time",
      goal: '≤ 0.10',
      max: 0.1,
      detail: { fsCpuMs: Math.round(plain.fs.cpuMs), fsWallMs: Math.round(plain.fs.wallMs) },
    },
    {
      name: `fs peak RSS, ${label}`,
      ratio: plain.fs.maxRssMiB / node.maxRssMiB,
      baseline: "fs process's peak RSS ÷ `node -e 0`'s, same run",
      goal: `≤ ${MiB} MiB`,
      max: MiB / node.maxRssMiB,
      detail: { fsPeakRssMiB: +plain.fs.maxRssMiB.toFixed(1), nodeRssMiB: +node.maxRssMiB.toFixed(1) },
    },
    {
      name: `fs peak RSS with ${UNRELATED} unrelated units vs none, ${label}`,
      ratio: big.fs.maxRssMiB / plain.fs.maxRssMiB,
      baseline: 'peak RSS with unrelated units ÷ without, same run',
      goal: `≤ 1.1 (flat in the cluster's size) and ≤ ${MiB} MiB`,
      max: 1.1,
      also: { [`≤ ${MiB} MiB`]: big.fs.maxRssMiB <= MiB },
      detail: { peakRssMiB: +big.fs.maxRssMiB.toFixed(1), withoutMiB: +plain.fs.maxRssMiB.toFixed(1) },
    },
  ];
}
