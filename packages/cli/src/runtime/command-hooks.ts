// `--pre-stop CMD` / `--post-start CMD`: lifecycle hooks that run a shell command per instance
// (the engine's `Hooks`, packages/rollout). The command gets the instance in its environment:
// FS_HOOK, FS_UNIT, FS_INSTANCE_INDEX, FS_SERVICE, FS_MACHINE_ID, FS_MACHINE_IP. The engine times
// the hook (--hook-timeout, on its clock) and aborts its signal, which kills the command's group.
import type { HookContext, HookName, Hooks } from '@fleet-service/rollout';
import { UsageError } from '../usage-error.js';
import { runShell } from './command-health-check.js';

/** Default time allowed for one run of a hook command. */
export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

export interface HookFlags {
  'pre-stop'?: string | undefined;
  'post-start'?: string | undefined;
  'hook-timeout'?: number | undefined;
}

/** The environment a hook command runs with. */
export function hookEnv(hook: HookName, ctx: Omit<HookContext, 'signal'>): Record<string, string> {
  const at = ctx.unit.indexOf('@');
  return {
    FS_HOOK: hook,
    FS_UNIT: ctx.unit,
    FS_INSTANCE_INDEX: String(ctx.index),
    FS_SERVICE: at > 0 ? ctx.unit.slice(0, at) : ctx.unit,
    FS_MACHINE_ID: ctx.machineID ?? '',
    FS_MACHINE_IP: ctx.ip ?? '',
  };
}

function commandHook(hook: HookName, command: string, timeoutMs: number, baseEnv?: NodeJS.ProcessEnv) {
  if (command.trim() === '')
    throw new UsageError(`--${hook}: empty command`, {
      hint: `e.g. --${hook} 'echo "disable server be/$FS_UNIT" | socat stdio /run/haproxy.sock'`,
    });
  return async (ctx: HookContext): Promise<void> => {
    const failure = await runShell(command, {
      env: { ...(baseEnv ?? process.env), ...hookEnv(hook, ctx) },
      // the engine's timeout aborts ctx.signal first; this one only guards against a stuck clock
      timeoutMs: timeoutMs + 1_000,
      signal: ctx.signal,
      where: `(${hook} of ${ctx.unit})`,
    });
    if (failure !== undefined) throw new Error(failure);
  };
}

/** The hooks asked for on the command line; `undefined` without --pre-stop / --post-start. */
export function commandHooks(flags: HookFlags, baseEnv?: NodeJS.ProcessEnv): Hooks | undefined {
  const pre = flags['pre-stop'];
  const post = flags['post-start'];
  if (pre === undefined && post === undefined) return undefined;
  const timeoutMs = flags['hook-timeout'] ?? DEFAULT_HOOK_TIMEOUT_MS;
  return {
    timeoutMs,
    ...(pre !== undefined ? { preStop: commandHook('pre-stop', pre, timeoutMs, baseEnv) } : {}),
    ...(post !== undefined ? { postStart: commandHook('post-start', post, timeoutMs, baseEnv) } : {}),
  };
}
