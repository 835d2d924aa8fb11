// `--health-cmd`: a health check that runs a shell command per new instance. Only the CLI runs
// processes: the engine sees a `callback` check (packages/rollout HealthCheck), retried on its
// poll like every check until the instance is healthy or its healthy timeout runs out.
// node:child_process is imported statically: this module is itself loaded lazily (create-flow,
// inside run()), and an `import('node:…')` inside dist/oclif-bundle.cjs never settles when the
// bundle runs from its V8 code cache (src/bundle-loader.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import type { HealthCheck, HealthCheckContext } from '@fleet-service/rollout';
import { formatDuration } from '../flags/duration.js';
import { UsageError } from '../usage-error.js';

/** Default time allowed for one run of the command. */
export const DEFAULT_HEALTH_CMD_TIMEOUT_MS = 10_000;
/** How much of the command's stderr goes into the failure message (its end). */
const STDERR_TAIL_CHARS = 400;

/** The parsed flags of the command health check. */
export interface HealthCmdFlags {
  'health-cmd'?: string[] | undefined;
  'health-cmd-timeout'?: number | undefined;
}

/** The environment a health command runs with: the instance's index, unit, service, machine, IP. */
export function healthCmdEnv(ctx: Omit<HealthCheckContext, 'signal'>): Record<string, string> {
  const at = ctx.unit.indexOf('@');
  return {
    FS_INSTANCE_INDEX: String(ctx.index),
    FS_UNIT: ctx.unit,
    FS_SERVICE: at > 0 ? ctx.unit.slice(0, at) : ctx.unit,
    FS_MACHINE_ID: ctx.machine?.id ?? '',
    FS_MACHINE_IP: ctx.machine?.primaryIP ?? '',
  };
}

/** The last `max` characters of `text`, trimmed, marked when cut. */
export function tail(text: string, max = STDERR_TAIL_CHARS): string {
  const t = text.trim();
  return t.length <= max ? t : `…${t.slice(t.length - max)}`;
}

/**
 * A `callback` health check that runs `command` with `/bin/sh -c` in a process group of its own:
 * exit 0 = healthy; any other exit, a signal, or running past `timeoutMs` (the group is killed)
 * fails with a message that names the command, the unit and index, and the end of its stderr.
 * `baseEnv` is the environment the command inherits (default: this process's, read when it runs).
 */
export function commandHealthCheck(
  command: string,
  opts: { timeoutMs?: number; baseEnv?: NodeJS.ProcessEnv } = {},
): HealthCheck {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_HEALTH_CMD_TIMEOUT_MS;
  return {
    kind: 'callback',
    check: async (ctx) => {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const failure = await runShell(command, {
        env: { ...(opts.baseEnv ?? process.env), ...healthCmdEnv(ctx) },
        timeoutMs,
        signal: ctx.signal,
        where: `for ${ctx.unit} (index ${ctx.index})`,
      });
      if (failure === undefined) return true;
      if (ctx.signal.aborted) throw ctx.signal.reason;
      throw new Error(failure);
    },
  };
}

/**
 * Run `command` with `/bin/sh -c` in a process group of its own; `undefined` when it exits 0,
 * else a message naming the command, `where`, how it ended and the end of its stderr. The group is
 * killed at `timeoutMs` or when `signal` fires.
 */
export async function runShell(
  command: string,
  o: { env: NodeJS.ProcessEnv; timeoutMs: number; signal: AbortSignal; where: string },
): Promise<string | undefined> {
  const child = spawn(command, {
    shell: true,
    detached: true, // its own process group: a timeout kills the command's children too
    stdio: ['ignore', 'ignore', 'pipe'],
    env: o.env,
  });
  const outcome = await runToEnd(child, o.timeoutMs, o.signal);
  if (outcome.kind === 'exit' && outcome.code === 0) return undefined;
  const how =
    outcome.kind === 'timeout'
      ? `did not finish within ${formatDuration(o.timeoutMs)} (killed)`
      : outcome.kind === 'error'
        ? `could not run: ${outcome.message}`
        : outcome.signal
          ? `was killed by ${outcome.signal}`
          : `exited with ${outcome.code}`;
  const stderr = tail(outcome.stderr);
  return `command "${command}" ${how} ${o.where}${stderr ? `; stderr: ${stderr}` : ''}`;
}

type Outcome =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  | { kind: 'timeout'; stderr: string }
  | { kind: 'error'; message: string; stderr: string };

/** Waits for `child` to end, killing its process group at the timeout or on abort. */
function runToEnd(child: ChildProcess, timeoutMs: number, signal: AbortSignal): Promise<Outcome> {
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4 * STDERR_TAIL_CHARS);
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    signal.addEventListener('abort', killGroup, { once: true });
    if (signal.aborted) killGroup();
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', killGroup);
      resolve(outcome);
    };
    child.once('error', (e) => done({ kind: 'error', message: e.message, stderr }));
    child.once('close', (code, sig) =>
      done(timedOut ? { kind: 'timeout', stderr } : { kind: 'exit', code, signal: sig, stderr }),
    );
  });
}

/** The command checks asked for on the command line (none without --health-cmd). */
export function commandHealthChecks(flags: HealthCmdFlags, baseEnv?: NodeJS.ProcessEnv): HealthCheck[] {
  const timeoutMs = flags['health-cmd-timeout'];
  return (flags['health-cmd'] ?? []).map((command) => {
    if (command.trim() === '')
      throw new UsageError('--health-cmd: empty command', {
        hint: 'e.g. --health-cmd "curl -fsS http://$FS_MACHINE_IP:8080/health"',
      });
    return commandHealthCheck(command, {
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(baseEnv ? { baseEnv } : {}),
    });
  });
}
