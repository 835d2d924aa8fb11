/** What the caller wants: the RolloutSpec and its option types. */
import type { Machine, UnitOption } from '@fleet-service/fleet-client';

/**
 * How long each wait may take, in milliseconds (like got's per-phase timeouts). Each wait has an
 * absolute deadline `clock.now() + timeout`; the error names the phase that ran out.
 */
export interface Timeouts {
  /** In-place replace: until the old contents are no longer active on the machine. @default 600_000 */
  stop: number;
  /** Recreate and destroy: until fleet's `/state` has no entry left for the unit. @default 600_000 */
  gone: number;
  /** Until currentState is `launched` with a machineID (covers scheduling). @default 600_000 */
  launched: number;
  /** From `launched` until the new hash is systemd-active for `minHealthyMs` and health checks pass. @default 600_000 */
  healthy: number;
}

/** What to do when an instance fails or a wait times out. */
export type FailurePolicy = 'abort' | 'pause' | 'rollback';

/** How an instance gets its new contents. */
export type ReplaceMode = 'recreate' | 'in-place';

/** Context given to health checks (and used to expand URL/host templates). */
export interface HealthCheckContext {
  unit: string;
  index: number;
  machine?: Machine;
  signal: AbortSignal;
}

/**
 * A per-instance health check, run once an instance is systemd-active for the stability window.
 * `url` and `host` are templates: `{ip}` (the machine's primaryIP), `{index}`, `{machineID}`, `{name}`.
 * Checks only ever connect to the address the template expands to.
 */
export type HealthCheck =
  | {
      kind: 'http';
      /** e.g. `http://{ip}:8080/health`; http: only. */
      url: string;
      /** Status that counts as healthy. @default any 2xx */
      expectStatus?: number;
      /** Per attempt. @default 2_000 */
      timeoutMs?: number;
    }
  | {
      kind: 'tcp';
      /** e.g. `{ip}` */
      host: string;
      /** A number, or the index added to a base is up to you: the port is used as given. */
      port: number;
      /** Per attempt. @default 2_000 */
      timeoutMs?: number;
    }
  | {
      kind: 'callback';
      /** Resolve `true` when the instance is healthy. */
      check: (ctx: HealthCheckContext) => Promise<boolean>;
    };

/** The lock a rollout holds on its service (a unit in the cluster, see README "Lock"). */
export interface LockOptions {
  /** Who holds it, shown to others. @default `${user}@${host}` as given by the caller, else 'fs' */
  owner?: string;
  /** How long the lock is valid without a refresh; refreshed every ttl/3. @default 60_000 */
  ttlMs?: number;
  /** Take the lock even if another rollout holds it and it has not expired. @default false */
  steal?: boolean;
  /** Wait after writing the lock before reading it back, to catch a concurrent writer. @default 1_000 */
  settleMs?: number;
}

/** What we want the service to look like. */
export interface RolloutSpec {
  /** Service name S: template `S@.service`, instances `S@1.service` … `S@N.service`. */
  service: string;
  /** The unit file, already parsed into options. */
  unitFile: UnitOption[];
  /** Number of instances N. @default 3 */
  count?: number;
  /** How many of the N instances may be down at once. @default 1 (0 when maxSurge > 0 is given) */
  maxUnavailable?: number;
  /** How many extra instances (spare indexes above N) may run during the rollout. @default 0 */
  maxSurge?: number;
  /** Never take down two instances on one machine at once; finish a machine before the next. @default false */
  machineAware?: boolean;
  /** `recreate` (destroy, wait gone, create) or `in-place` (PUT new options, fleet ≥ 0.13). @default 'recreate' */
  replaceMode?: ReplaceMode;
  /**
   * How long an instance must stay active with the new hash to count as running, observed without a
   * gap longer than `pollIntervalMs` + 10 % (≤ 100 ms) between `/state` reads (a longer one restarts it).
   * @default 5_000
   */
  minHealthyMs?: number;
  /** Per-wait timeouts. @default 600_000 each */
  timeouts?: Partial<Timeouts>;
  /** Fail when no step has finished for this long. @default 1_800_000 */
  progressDeadlineMs?: number;
  /** Time between polls of one unit (a quarter of it around a transition this rollout has timed before). @default 1_000 */
  pollIntervalMs?: number;
  /** What to do on failure. @default 'abort' */
  onFailure?: FailurePolicy;
  /** Replace every instance even when its hash already matches. @default false */
  force?: boolean;
  /**
   * Steps of one batch the executor runs at once. It bounds the HTTP requests and waits in flight,
   * not the plan: a batch larger than this (e.g. creating 1,000 new instances, which the planner
   * puts in one batch) runs as a pool, a new step starting whenever one finishes. @default 50
   */
  maxParallel?: number;
  /** Extra checks an instance must pass to count as running. @default [] */
  healthChecks?: HealthCheck[];
  /** Lock settings. */
  lock?: LockOptions;
}

/** One problem with a spec; `field` is a dotted path into the spec. */
export interface SpecProblem {
  field: string;
  message: string;
  /** `unsupported` for things the engine refuses by design (e.g. `Global=true`). */
  kind?: 'invalid' | 'unsupported';
}

/** Every setting with its default applied (JSON-serialisable; health checks are kept apart). */
export interface ResolvedSettings {
  count: number;
  maxUnavailable: number;
  maxSurge: number;
  machineAware: boolean;
  replaceMode: ReplaceMode;
  minHealthyMs: number;
  timeouts: Timeouts;
  progressDeadlineMs: number;
  pollIntervalMs: number;
  onFailure: FailurePolicy;
  force: boolean;
  maxParallel: number;
}

/** The defaults, in one place. */
export const DEFAULTS = Object.freeze({
  count: 3,
  maxUnavailable: 1,
  maxSurge: 0,
  machineAware: false,
  replaceMode: 'recreate' as ReplaceMode,
  minHealthyMs: 5_000,
  timeouts: Object.freeze({ stop: 600_000, gone: 600_000, launched: 600_000, healthy: 600_000 }),
  progressDeadlineMs: 1_800_000,
  pollIntervalMs: 1_000,
  onFailure: 'abort' as FailurePolicy,
  force: false,
  maxParallel: 50,
  lockTtlMs: 60_000,
  lockSettleMs: 1_000,
  healthCheckTimeoutMs: 2_000,
});

/** Apply the defaults. Does not validate: call validateSpec first. */
export function resolveSettings(spec: RolloutSpec): ResolvedSettings {
  const maxSurge = spec.maxSurge ?? DEFAULTS.maxSurge;
  return {
    count: spec.count ?? DEFAULTS.count,
    maxUnavailable: spec.maxUnavailable ?? (maxSurge > 0 ? 0 : DEFAULTS.maxUnavailable),
    maxSurge,
    machineAware: spec.machineAware ?? DEFAULTS.machineAware,
    replaceMode: spec.replaceMode ?? DEFAULTS.replaceMode,
    minHealthyMs: spec.minHealthyMs ?? DEFAULTS.minHealthyMs,
    timeouts: { ...DEFAULTS.timeouts, ...definedOnly(spec.timeouts ?? {}) },
    progressDeadlineMs: spec.progressDeadlineMs ?? DEFAULTS.progressDeadlineMs,
    pollIntervalMs: spec.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    onFailure: spec.onFailure ?? DEFAULTS.onFailure,
    force: spec.force ?? DEFAULTS.force,
    maxParallel: spec.maxParallel ?? DEFAULTS.maxParallel,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
