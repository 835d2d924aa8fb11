// Runs the built `fs` (packages/cli/bin/run.js, by its `#!` line, as the npm bin runs it) or
// `node -e 0` as a child process and measures
// that process alone: wall time, peak RSS and CPU from its own process.resourceUsage() (the
// preload bench/report-usage.cjs writes them at exit). The simulator stays in the bench's process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const runJs = join(here, '..', 'packages', 'cli', 'bin', 'run.js');
const preload = join(here, 'report-usage.cjs');

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  maxRssMiB: number;
  cpuMs: number;
  /** Heap figures (MiB) at the highest RSS sampled. */
  atPeakMiB: Record<string, number>;
}

export function cliIsBuilt(): boolean {
  return existsSync(join(here, '..', 'packages', 'cli', 'dist', 'oclif-bundle.cjs'));
}

/** `node ARGS` (the preload comes through NODE_OPTIONS) with stdout and stderr collected. */
export function measureNode(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return measure(process.execPath, args, env);
}

/** `CMD ARGS` (a node program: the preload comes through NODE_OPTIONS) with stdout and stderr collected. */
async function measure(cmd: string, args: string[], env: Record<string, string>): Promise<ProcessRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-'));
  const usageFile = join(dir, 'usage.json');
  try {
    const t0 = performance.now();
    // stdout goes to a file, as `fs … > out` would: writes to a file are synchronous, so a busy
    // reader (this process also runs the simulator) cannot make fs hold its output in memory
    const outFile = join(dir, 'stdout');
    const out = openSync(outFile, 'w');
    const child = spawn(cmd, args, {
      env: {
        ...process.env,
        NO_COLOR: '1',
        ...env,
        FS_BENCH_USAGE_FILE: usageFile,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim(),
      },
      stdio: ['ignore', out, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    closeSync(out);
    const stdout = readFileSync(outFile, 'utf8');
    const wallMs = performance.now() - t0;
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
      maxRssKb: number;
      userUs: number;
      systemUs: number;
      atPeakMiB: Record<string, number>;
    };
    return {
      code,
      stdout,
      stderr,
      wallMs,
      maxRssMiB: usage.maxRssKb / 1024,
      cpuMs: (usage.userUs + usage.systemUs) / 1000,
      atPeakMiB: usage.atPeakMiB,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The built `fs ARGS` (throws when it exits other than `expect`). */
export async function runFs(
  args: string[],
  env: Record<string, string> = {},
  expect = 0,
): Promise<ProcessRun> {
  const r = await measureNode([runJs, ...args], env);
  if (r.code !== expect) throw new Error(`fs ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2_000)}`);
  return r;
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
