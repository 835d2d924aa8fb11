// Runs the BUILT `fs` (packages/cli/bin/run.js → dist/) as a real subprocess.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const runJs = join(repoRoot, 'packages', 'cli', 'bin', 'run.js');

/** True when the CLI and its dependencies are built (the lead's CI builds before testing). */
export function cliIsBuilt(): boolean {
  return ['cli', 'rollout', 'fleet-client', 'fleet-sim'].every((p) =>
    existsSync(join(repoRoot, 'packages', p, 'dist', 'index.js')),
  );
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Environment for fast runs against a sped-up simulator: short polls, a short stability window,
 * a short lock settle, no colours. Every value can be overridden per call.
 */
export function fastEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    FS_POLL_INTERVAL: '20ms',
    FS_MIN_HEALTHY: '60ms',
    FS_LOCK_SETTLE: '10ms',
    FS_REQUEST_TIMEOUT: '2s',
    NO_COLOR: '1',
    ...extra,
  };
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
  };
  for (const key of Object.keys(base)) if (base[key] === undefined) delete base[key];
  return { ...base, ...env };
}

/** Spawns `node bin/run.js ARGS` (or another executable) without waiting. */
export function spawnCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; executable?: string } = {},
): ChildProcess {
  const [cmd, cmdArgs] = opts.executable
    ? [opts.executable, [...args]]
    : [process.execPath, [runJs, ...args]];
  return spawn(cmd, cmdArgs, { env: childEnv(opts.env ?? fastEnv()), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a spawned CLI's output and exit. */
export function collect(child: ChildProcess, timeoutMs = 20_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fs did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `fs ARGS` to completion. */
export function runCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; executable?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return collect(spawnCli(args, opts), opts.timeoutMs);
}

/** Parses the single JSON document `--json` prints on stdout. */
export function parseJsonDoc(run: CliRun): Record<string, unknown> & { ok: boolean; exitCode: number } {
  const text = run.stdout.trim();
  if (text.includes('\n')) throw new Error(`--json printed more than one line:\n${text}`);
  return JSON.parse(text);
}

/** Parses NDJSON output: every line one JSON object. */
export function parseNdjson(run: CliRun): Array<Record<string, unknown> & { type: string }> {
  return run.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}
