import { Flags } from '@oclif/core';
import { parseFailureBudget, parseInteger } from './duration.js';
import { durationFlag } from './global-flags.js';
import { healthCmdFlags } from './health-flags.js';

function intFlag(summary: string, env: string, min: number, extra: { default?: number; char?: 'c' } = {}) {
  return Flags.custom<number>({
    summary,
    env,
    helpValue: 'N',
    ...(extra.char ? { char: extra.char } : {}),
    ...(extra.default !== undefined ? { default: extra.default } : {}),
    parse: async (input, _ctx, opts) => parseInteger(input, opts.name, min),
  })();
}

/** The strategy flags shared by create, plan and rollback: everything the engine offers. */
export const strategyFlags = {
  'max-unavailable': intFlag(
    'instances that may be down at once [default: 1, so N−1 of N keep serving]; N or more is refused without --allow-outage',
    'FS_MAX_UNAVAILABLE',
    0,
  ),
  'max-surge': intFlag(
    'extra instances started before old ones stop [default: 0]; --max-surge 1 keeps all N serving',
    'FS_MAX_SURGE',
    0,
  ),
  'allow-outage': Flags.boolean({
    summary: 'accept --max-unavailable ≥ --count: every instance may be down at once (an outage)',
    env: 'FS_ALLOW_OUTAGE',
  }),
  'max-parallel': intFlag(
    'most steps of one batch in flight at once, e.g. creating many new instances [default: 50]',
    'FS_MAX_PARALLEL',
    1,
  ),
  'machine-aware': Flags.boolean({
    summary: 'never take down two instances on one machine at once; finish a machine before the next',
    env: 'FS_MACHINE_AWARE',
  }),
  'replace-mode': Flags.option({
    summary:
      'in-place (PUT new options; fleet ≥ 0.13), recreate (destroy, wait gone, create), or auto: in-place where fleet supports it [default: auto]',
    options: ['auto', 'in-place', 'recreate'] as const,
    env: 'FS_REPLACE_MODE',
  })(),
  'min-healthy': durationFlag({
    summary: 'how long a new instance must stay active to count as healthy [default: 5s]',
    env: 'FS_MIN_HEALTHY',
    bounds: { minMs: 0, maxMs: 3_600_000 },
  }),
  'stop-timeout': durationFlag({
    summary: 'time allowed for an instance to stop [default: 10m]',
    env: 'FS_STOP_TIMEOUT',
  }),
  'gone-timeout': durationFlag({
    summary: 'time allowed for a destroyed instance to disappear [default: 10m]',
    env: 'FS_GONE_TIMEOUT',
  }),
  'launched-timeout': durationFlag({
    summary: 'time allowed for an instance to reach launched [default: 10m]',
    env: 'FS_LAUNCHED_TIMEOUT',
  }),
  'healthy-timeout': durationFlag({
    summary: 'time allowed for an instance to become healthy [default: 10m]',
    env: 'FS_HEALTHY_TIMEOUT',
  }),
  'progress-deadline': durationFlag({
    summary:
      'fail when no step finishes for this long (restarts at every finished step; not a limit on the whole rollout) [default: 30m]',
    env: 'FS_PROGRESS_DEADLINE',
  }),
  'poll-interval': durationFlag({
    summary: 'time between polls of a unit being waited on [default: 1s]',
    env: 'FS_POLL_INTERVAL',
    bounds: { minMs: 1, maxMs: 60_000 },
  }),
  'on-failure': Flags.option({
    summary: 'when an instance fails: abort (stop, old instances keep serving), pause, or rollback',
    options: ['abort', 'pause', 'rollback'] as const,
    env: 'FS_ON_FAILURE',
  })(),
  'health-url': Flags.string({
    summary: 'HTTP health check per instance; {ip} {index} {machineID} {name} are filled in',
    env: 'FS_HEALTH_URL',
    helpValue: 'URL',
  }),
  'health-tcp': Flags.string({
    summary: 'TCP health check per instance, HOST:PORT; HOST may use {ip}',
    env: 'FS_HEALTH_TCP',
    helpValue: 'HOST:PORT',
  }),
  ...healthCmdFlags, // --health-cmd, --health-cmd-timeout
  'pre-stop': Flags.string({
    summary:
      'command run before an instance is taken down (e.g. drain it); failing stops the rollout first; FS_UNIT, FS_INSTANCE_INDEX, FS_MACHINE_IP, … are set',
    env: 'FS_PRE_STOP',
    helpValue: 'CMD',
  }),
  'post-start': Flags.string({
    summary:
      'command run once a new instance is healthy (e.g. register it); failing is an instance failure; environment as --pre-stop',
    env: 'FS_POST_START',
    helpValue: 'CMD',
  }),
  'hook-timeout': durationFlag({
    summary: 'time allowed for one run of --pre-stop or --post-start [default: 30s]',
    env: 'FS_HOOK_TIMEOUT',
    bounds: { minMs: 10, maxMs: 3_600_000 },
  }),
  'batch-delay': durationFlag({
    summary: 'pause between two batches [default: 0]',
    env: 'FS_BATCH_DELAY',
    bounds: { minMs: 0 },
  }),
  'max-failures': Flags.custom<number>({
    summary:
      'instance failures retried (recreated) before --on-failure applies: N, or a ratio of --count (0.2, 20%) [default: 0]',
    env: 'FS_MAX_FAILURES',
    helpValue: 'N|RATIO',
    parse: async (input, _ctx, opts) => parseFailureBudget(input, opts.name),
  })(),
  'steal-lock': Flags.boolean({
    summary: 'take over the service lock from another rollout (use only when it is dead)',
    env: 'FS_STEAL_LOCK',
  }),
  'lock-settle': durationFlag({
    summary: 'wait after writing the lock before reading it back [default: 1s]',
    env: 'FS_LOCK_SETTLE',
    bounds: { minMs: 0, maxMs: 60_000 },
    hidden: true,
  }),
};

/** Flags of create and plan on top of the strategy. */
export const createFlags = {
  count: intFlag(
    'number of instances (SERVICE@1 … SERVICE@N) [default: the service’s current count; 3 for a new service]',
    'FS_COUNT',
    1,
    { char: 'c' },
  ),
  force: Flags.boolean({
    summary: 'replace every instance, even those already running the new contents',
    env: 'FS_FORCE',
  }),
  canary: intFlag(
    'start N instances of the new contents beside the serving ones; stop once healthy (exit 10): then fs promote or fs rollback',
    'FS_CANARY',
    1,
  ),
  'canary-auto-promote': durationFlag({
    summary: 'with --canary: promote by itself once the canaries stayed healthy this long',
    env: 'FS_CANARY_AUTO_PROMOTE',
    bounds: { minMs: 0 },
    helpValue: 'AFTER', // DURATION would make the name column too wide for help's two-column layout
  }),
  'per-machine': Flags.boolean({
    summary: 'roll a Global=true unit machine by machine: one instance per machine, pinned with MachineID=',
    env: 'FS_PER_MACHINE',
  }),
  ...strategyFlags,
};
