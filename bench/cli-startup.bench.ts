// Cold start of `fs --help` and `fs create --help`, for bin/run.js (npm install) and the single
// binary, piped and in a pseudo-terminal (`script`), as ratios to `node -e 0` measured the same
// way in the same run (goal ≤ 1.3×). Median of FS_BENCH_STARTUP_RUNS (default 31: one pty run on
// this kind of machine varies by ±30 %, and a median of 15 moved a row by ±0.1×) alternating
// spawns, so machine load affects every variant alike. Piped, help comes from the build-time help
// cache; in a terminal, from what oclif rendered for the same width and colours (help-memo.ts;
// the warm-up run fills a temporary memo directory). In the pty rows the wrapper's own time
// (`script -qc true`) is subtracted from both sides. Two more rows per entry show the paths that
// load oclif (no goal): a flag error and help with the caches off (FS_HELP_CACHE=0).
// The binary is measured when packages/cli/dist-bin/fs exists (`build:binary`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  /** Run in a pseudo-terminal (`script -qc`). */
  pty?: boolean;
}

const memoDir = mkdtempSync(join(tmpdir(), 'fs-bench-help-'));
const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;

function time(v: Variant): number {
  const env: NodeJS.ProcessEnv = { ...process.env, FS_HELP_CACHE_DIR: memoDir, ...v.env };
  if (!v.pty) env.NO_COLOR = '1';
  const [cmd, args] = v.pty
    ? ['script', ['-qec', [v.cmd, ...v.args].map(quote).join(' '), '/dev/null']]
    : [v.cmd, v.args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args as string[], { stdio: 'ignore', env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== (v.status ?? 0)) throw new Error(`${v.name} exited ${r.status}`);
  return ms;
}

/** The help rows of the issue, piped and in a terminal, plus the two rows that go through oclif. */
function variantsOf(label: string, cmd: string, pre: string[]): Variant[] {
  return [
    { name: `${label} --help`, cmd, args: [...pre, '--help'] },
    { name: `${label} create --help`, cmd, args: [...pre, 'create', '--help'] },
    { name: `${label} --help (terminal)`, cmd, args: [...pre, '--help'], pty: true },
    { name: `${label} create --help (terminal)`, cmd, args: [...pre, 'create', '--help'], pty: true },
    {
      name: `${label} create --bogus (flag error, oclif)`,
      cmd,
      args: [...pre, 'create', '--bogus'],
      status: 2,
      goal: false,
    },
    {
      name: `${label} create --help (caches off, oclif)`,
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
  const runs = Number(process.env.FS_BENCH_STARTUP_RUNS ?? 31);
  const baseline: Variant = { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] };
  const ptyBaseline: Variant = { ...baseline, name: 'node -e 0 (terminal)', pty: true };
  const wrapper: Variant = { name: 'script -qc true', cmd: 'true', args: [], pty: true };
  const variants: Variant[] = variantsOf('bin/run.js', process.execPath, [runJs]);
  if (existsSync(binary)) variants.push(...variantsOf('binary', binary, []));
  const all = [baseline, ptyBaseline, wrapper, ...variants];
  try {
    // warm the file cache (and the terminal help memo) once, then interleave
    for (const v of all) time(v);
    const samples = new Map<string, number[]>(all.map((v) => [v.name, []]));
    for (let i = 0; i < runs; i++) for (const v of all) samples.get(v.name)!.push(time(v));
    const m = (v: Variant) => median(samples.get(v.name)!);
    const base = m(baseline);
    const over = m(wrapper);
    const ptyBase = m(ptyBaseline) - over;
    const results: BenchResult[] = variants.map((v) => {
      const own = v.pty ? m(v) - over : m(v);
      const against = v.pty ? ptyBase : base;
      return {
        name: `cold start: ${v.name}`,
        ratio: own / against,
        baseline: v.pty
          ? 'median ÷ median of `node -e 0`, both in a pty, the wrapper subtracted'
          : 'median ÷ median of `node -e 0`',
        ...(v.goal === false ? {} : { goal: '≤ 1.3', max: 1.3 }),
        detail: { medianMs: Math.round(own), baselineMs: Math.round(against), runs },
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
  } finally {
    rmSync(memoDir, { recursive: true, force: true });
  }
}
