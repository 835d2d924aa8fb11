// Empty directories that act as a fresh CI runner or a user's project: npm (and npx) pointed at
// the test registry only, with their own cache and user config (nothing from this machine's).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a process that uses only `registry`, with its state under `home`. */
export function registryEnv(registry: string, home: string): Record<string, string> {
  mkdirSync(home, { recursive: true });
  const userconfig = join(home, '.npmrc');
  writeFileSync(userconfig, `registry=${registry}\n`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^npm_|^pnpm_|^FLEETCTL_|^FS_/i.test(k)) env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    npm_config_registry: registry,
    npm_config_userconfig: userconfig,
    npm_config_cache: join(home, '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    NO_COLOR: '1',
  };
}

/** Runs `command args` in `cwd`; resolves with its exit code and output (never rejects on exit). */
export function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Throws with the output when `r` did not exit 0. */
export function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
}
