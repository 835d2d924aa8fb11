import type { UnitOption } from '@fleet-service/fleet-client';
import type { HealthCheck, RolloutSpec } from '@fleet-service/rollout';
import { UsageError } from '../usage-error.js';
import { commandHealthChecks, type HealthCmdFlags } from './command-health-check.js';
import { commandHooks, type HookFlags } from './command-hooks.js';

/** The parsed flags that shape a RolloutSpec (durations already in ms). */
export interface SpecFlags extends HealthCmdFlags, HookFlags {
  canary?: number | undefined;
  'canary-auto-promote'?: number | undefined;
  'per-machine'?: boolean | undefined;
  'batch-delay'?: number | undefined;
  'max-failures'?: number | undefined;
  count?: number | undefined;
  force?: boolean | undefined;
  'max-unavailable'?: number | undefined;
  'max-surge'?: number | undefined;
  'allow-outage'?: boolean | undefined;
  'max-parallel'?: number | undefined;
  'machine-aware'?: boolean | undefined;
  'replace-mode'?: 'auto' | 'recreate' | 'in-place' | undefined;
  'min-healthy'?: number | undefined;
  'stop-timeout'?: number | undefined;
  'gone-timeout'?: number | undefined;
  'launched-timeout'?: number | undefined;
  'healthy-timeout'?: number | undefined;
  'progress-deadline'?: number | undefined;
  'poll-interval'?: number | undefined;
  'on-failure'?: 'abort' | 'pause' | 'rollback' | undefined;
  'health-url'?: string | undefined;
  'health-tcp'?: string | undefined;
  'steal-lock'?: boolean | undefined;
  'lock-settle'?: number | undefined;
  /** Old fs `--timeout SECONDS`: every per-state timeout at once. */
  timeout?: number | undefined;
}

/** Pure: parses `HOST:PORT` of --health-tcp. */
export function parseHealthTcp(text: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 1 || port > 65_535) {
    throw new UsageError(`--health-tcp: "${text}" is not HOST:PORT`, { hint: 'e.g. --health-tcp {ip}:8080' });
  }
  return { host: m[1]!, port };
}

/** Pure: the health checks asked for on the command line. */
export function healthChecksFrom(flags: SpecFlags): HealthCheck[] {
  const checks: HealthCheck[] = [];
  if (flags['health-url']) {
    const url = flags['health-url'];
    if (!/^https?:\/\//.test(url)) {
      throw new UsageError(`--health-url: "${url}" is not an http:// or https:// URL`, {
        hint: 'e.g. --health-url http://{ip}:8080/health',
      });
    }
    checks.push({ kind: 'http', url });
  }
  if (flags['health-tcp']) {
    const { host, port } = parseHealthTcp(flags['health-tcp']);
    checks.push({ kind: 'tcp', host, port });
  }
  checks.push(...commandHealthChecks(flags)); // --health-cmd (flags/health-flags.ts)
  return checks;
}

/** Pure: flags → the strategy part of a RolloutSpec (everything but service and unit file). */
export function strategyFrom(flags: SpecFlags): Partial<RolloutSpec> {
  const spec: Partial<RolloutSpec> = {};
  if (flags.count !== undefined) spec.count = flags.count;
  if (flags.force) spec.force = true;
  if (flags['max-unavailable'] !== undefined) spec.maxUnavailable = flags['max-unavailable'];
  if (flags['max-surge'] !== undefined) spec.maxSurge = flags['max-surge'];
  if (flags['allow-outage']) spec.allowOutage = true;
  if (flags['max-parallel'] !== undefined) spec.maxParallel = flags['max-parallel'];
  if (flags['machine-aware']) spec.machineAware = true;
  if (flags['replace-mode']) spec.replaceMode = flags['replace-mode'];
  if (flags['min-healthy'] !== undefined) spec.minHealthyMs = flags['min-healthy'];
  if (flags['progress-deadline'] !== undefined) spec.progressDeadlineMs = flags['progress-deadline'];
  if (flags['poll-interval'] !== undefined) spec.pollIntervalMs = flags['poll-interval'];
  if (flags['on-failure']) spec.onFailure = flags['on-failure'];
  if (flags.canary !== undefined) spec.canary = flags.canary;
  if (flags['canary-auto-promote'] !== undefined) {
    if (flags.canary === undefined)
      throw new UsageError('--canary-auto-promote needs --canary N', {
        hint: 'e.g. --canary 1 --canary-auto-promote 10m',
      });
    spec.canaryAutoPromoteMs = flags['canary-auto-promote'];
  }
  if (flags['per-machine']) spec.perMachine = true;
  if (flags['batch-delay'] !== undefined) spec.batchDelayMs = flags['batch-delay'];
  if (flags['max-failures'] !== undefined) spec.maxFailures = flags['max-failures'];
  const hooks = commandHooks(flags);
  if (hooks) spec.hooks = hooks;
  const t = flags.timeout;
  const timeouts = {
    ...(t !== undefined ? { stop: t, gone: t, launched: t, healthy: t } : {}),
    ...(flags['stop-timeout'] !== undefined ? { stop: flags['stop-timeout'] } : {}),
    ...(flags['gone-timeout'] !== undefined ? { gone: flags['gone-timeout'] } : {}),
    ...(flags['launched-timeout'] !== undefined ? { launched: flags['launched-timeout'] } : {}),
    ...(flags['healthy-timeout'] !== undefined ? { healthy: flags['healthy-timeout'] } : {}),
  };
  // (a timeout above the default progress deadline lifts the deadline: the engine derives it)
  if (Object.keys(timeouts).length > 0) spec.timeouts = timeouts;
  const checks = healthChecksFrom(flags);
  if (checks.length > 0) spec.healthChecks = checks;
  const lock = {
    ...(flags['steal-lock'] ? { steal: true } : {}),
    ...(flags['lock-settle'] !== undefined ? { settleMs: flags['lock-settle'] } : {}),
  };
  if (Object.keys(lock).length > 0) spec.lock = lock;
  return spec;
}

/** Pure: the whole RolloutSpec for `fs create SERVICE UNIT_FILE`. */
export function buildSpec(service: string, unitFile: UnitOption[], flags: SpecFlags): RolloutSpec {
  return { service, unitFile, ...strategyFrom(flags) };
}
