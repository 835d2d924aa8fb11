// Cold start of `fs --help` and `fs create --help`, for bin/run.js (npm install) and the single
// binary, as ratios to `node -e 0` measured in the same run (goal ≤ 1.5×). Median of N spawns,
// interleaved so machine load affects every variant alike. stdout is not a terminal here, so help
// comes from the build-time help cache; two more rows per entry show the paths that load oclif:
// a flag error (`create --bogus`, exit 2) and help with the cache off (FS_HELP_CACHE=0, what a
// terminal gets, since oclif wraps help to the terminal's width).
// Env: FS_BENCH_STARTUP_RUNS (default 7). The binary is measured when packages/cli/dist-bin/fs
// exists (build it with `pnpm --filter @fleet-service/cli build:binary`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runJs = join(root, 'packages', 'cli', 'bin', 'run.js');
const binary = join(root, 'packages', 'cli', 'dist-bin', 'fs');

interface Variant {
  name: string;
  cmd: string;
  args: string[];
  /** Extra environment. */
  env?: Record<string, string>;
  /** Expected exit code. @default 0 */
  status?: number;
  /** Whether the goal applies (the help rows). @default true */
  goal?: boolean;
}

function time(v: Variant): number {
  const env = { ...process.env, NO_COLOR: '1', ...v.env };
  const start = process.hrtime.bigint();
  const r = spawnSync(v.cmd, v.args, { stdio: 'ignore', env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== (v.status ?? 0)) throw new Error(`${v.name} exited ${r.status}`);
  return ms;
}

/** The help rows of the issue, plus the two rows that go through oclif, for one entry. */
function variantsOf(label: string, cmd: string, pre: string[]): Variant[] {
  return [
    { name: `${label} --help`, cmd, args: [...pre, '--help'] },
    { name: `${label} create --help`, cmd, args: [...pre, 'create', '--help'] },
    {
      name: `${label} create --bogus (flag error, oclif)`,
      cmd,
      args: [...pre, 'create', '--bogus'],
      status: 2,
      goal: false,
    },
    {
      name: `${label} create --help (cache off, oclif)`,
      cmd,
      args: [...pre, 'create', '--help'],
      env: { FS_HELP_CACHE: '0' },
      goal: false,
    },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export default async function cliStartup(): Promise<BenchResult[]> {
  if (!existsSync(join(root, 'packages', 'cli', 'dist', 'index.js'))) {
    return [
      {
        name: 'cold start (packages/cli not built; skipped)',
        ratio: Number.NaN,
        baseline: 'run the build first',
      },
    ];
  }
  const runs = Number(process.env.FS_BENCH_STARTUP_RUNS ?? 7);
  const baseline: Variant = { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] };
  const variants: Variant[] = variantsOf('bin/run.js', process.execPath, [runJs]);
  if (existsSync(binary)) variants.push(...variantsOf('binary', binary, []));
  // warm the file cache once, then interleave
  for (const v of [baseline, ...variants]) time(v);
  const samples = new Map<string, number[]>([baseline, ...variants].map((v) => [v.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const v of [baseline, ...variants]) samples.get(v.name)!.push(time(v));
  }
  const base = median(samples.get(baseline.name)!);
  const results: BenchResult[] = variants.map((v) => {
    const m = median(samples.get(v.name)!);
    return {
      name: `cold start: ${v.name}`,
      ratio: m / base,
      baseline: 'median ÷ median of `node -e 0`',
      ...(v.goal === false ? {} : { goal: '≤ 1.5' }),
      detail: { medianMs: Math.round(m), baselineMs: Math.round(base), runs },
    };
  });
  if (!existsSync(binary)) {
    results.push({
      name: 'cold start: binary (not built; skipped)',
      ratio: Number.NaN,
      baseline: 'build it with build:binary to measure',
    });
  }
  return results;
}
