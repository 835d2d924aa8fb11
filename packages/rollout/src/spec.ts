/** What the caller wants: the RolloutSpec and its option types. */
import type { Duplex } from 'node:stream';
import type { Machine, UnitOption } from '@fleet-service/fleet-client';
import type { LockInfo } from './snapshot.js';

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

/** How an instance gets its new contents (what a plan's replace step does). */
export type ReplaceMode = 'recreate' | 'in-place';

/**
 * The `replaceMode` setting: a mode, or `auto` — `in-place` when the server says fleet ≥ 0.13
 * (fleet v1.0 does), else `recreate`. Why in-place is preferred where fleet supports it: the unit
 * keeps its machine and changes state once (no DELETE, no wait for the name to be gone), and it
 * avoids a fleet v1.0 fault of recreate: the old machine's agent later deletes the unit's whole
 * `/state/<name>` directory (`RemoveUnitState` is recursive), wiping the new instance's entry on
 * another machine until that machine republishes it (up to 24 s) — the instance runs, but /state
 * shows it gone.
 */
export type ReplaceModeSetting = ReplaceMode | 'auto';

/** Context given to health checks (and used to expand URL/host templates). */
export interface HealthCheckContext {
  unit: string;
  index: number;
  machine?: Machine;
  signal: AbortSignal;
}

/**
 * Opens the connection of an HTTP or TCP health check to `host:port` (as the expanded template
 * says), e.g. through the SSH tunnel or SOCKS proxy fleet is reached by, since machine IPs are
 * often reachable only from inside the cluster: fleet-client's `createSshTunnel(…).dial`.
 */
export type HealthCheckConnect = (target: { host: string; port: number }) => Duplex | Promise<Duplex>;

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
      /** How to open the connection. @default a direct TCP connection */
      connect?: HealthCheckConnect;
    }
  | {
      kind: 'tcp';
      /** e.g. `{ip}` */
      host: string;
      /** A number, or the index added to a base is up to you: the port is used as given. */
      port: number;
      /** Per attempt. @default 2_000 */
      timeoutMs?: number;
      /** How to open the connection. @default a direct TCP connection */
      connect?: HealthCheckConnect;
    }
  | {
      kind: 'callback';
      /** Resolve `true` when the instance is healthy. */
      check: (ctx: HealthCheckContext) => Promise<boolean>;
    };

/** What a lifecycle hook is told about the instance (README "Hooks"). */
export interface HookContext {
  /** `S@3.service` */
  unit: string;
  index: number;
  /** The machine the instance is (or was, for pre-stop) on; absent when fleet has not scheduled it. */
  machineID?: string;
  /** The machine's primaryIP, when known. */
  ip?: string;
  /** Cancelled when the hook's timeout passes (or the lock is lost). */
  signal: AbortSignal;
}

/** A lifecycle hook: resolve when done; a rejection (or the timeout) fails it. */
export type LifecycleHook = (ctx: HookContext) => Promise<void>;

/**
 * Lifecycle hooks. `preStop` runs before a running instance is taken down (replaced, destroyed):
 * e.g. drain it from a load balancer; when it fails, nothing is taken down and the rollout stops
 * (no failure policy: nothing was changed on that instance). `postStart` runs once an instance is
 * healthy with the new contents: e.g. register it; its failure is an instance failure (the failure
 * policy, and the failure budget, apply).
 */
export interface Hooks {
  preStop?: LifecycleHook;
  postStart?: LifecycleHook;
  /** Per run of a hook. @default 30_000 */
  timeoutMs?: number;
}

/** Which hooks run (the plan says where; the functions themselves are not data). */
export interface HookSettings {
  preStop: boolean;
  postStart: boolean;
  timeoutMs: number;
}

/** The lock a rollout holds on its service (a unit in the cluster, see README "Lock"). */
export interface LockOptions {
  /** Who holds it, shown to others (e.g. `user@host`, given by the caller). @default 'fs' */
  owner?: string;
  /** How long the lock is valid without a refresh; refreshed every ttl/3. @default 60_000 */
  ttlMs?: number;
  /** Take the lock even if another rollout holds it and it has not expired. @default false */
  steal?: boolean;
  /** Wait after writing the lock before reading it back, to catch a concurrent writer. @default 1_000 */
  settleMs?: number;
  /**
   * Whether the process holding an unexpired lock still lives. Answer `false` only when it is
   * provably dead (e.g. same host, and its pid is gone): the lock is then taken over at once, with a
   * `lock-acquired` event that says from whom and why. The library never inspects processes itself.
   * @default none: an unexpired lock is held until it expires
   */
  isHolderAlive?: (holder: LockInfo) => boolean;
}

/** What we want the service to look like. */
export interface RolloutSpec {
  /** Service name S: template `S@.service`, instances `S@1.service` … `S@N.service`. */
  service: string;
  /** The unit file, already parsed into options. */
  unitFile: UnitOption[];
  /**
   * Number of instances N. Without it the service keeps its current number of indexed instances
   * (the plan's notes say so); a new service gets 3. @default current count, else 3
   */
  count?: number;
  /**
   * How many of the N instances may be down at once: the default keeps N − 1 serving; with
   * `maxSurge: 1` (and maxUnavailable 0, its default then) all N keep serving. A value ≥ N is a full
   * outage and is refused unless `allowOutage`. @default 1 (0 when maxSurge > 0 is given)
   */
  maxUnavailable?: number;
  /** Accept `maxUnavailable` ≥ count: every instance may be down at once (an outage). @default false */
  allowOutage?: boolean;
  /** How many extra instances (spare indexes above N) may run during the rollout. @default 0 */
  maxSurge?: number;
  /** Never take down two instances on one machine at once; finish a machine before the next. @default false */
  machineAware?: boolean;
  /**
   * `recreate` (destroy, wait gone, create), `in-place` (PUT new options, fleet ≥ 0.13), or `auto`:
   * in-place when the server reports fleet ≥ 0.13, else recreate. @default 'auto'
   */
  replaceMode?: ReplaceModeSetting;
  /**
   * How long an instance must stay active with the new hash to count as running, observed without a
   * gap longer than `pollIntervalMs` + 10 % (≤ 100 ms) between `/state` reads (a longer one restarts it).
   * @default 5_000, at most half the healthy timeout
   */
  minHealthyMs?: number;
  /** Per-wait timeouts. @default 600_000 each (capped to a given progressDeadlineMs; see resolveSettings) */
  timeouts?: Partial<Timeouts>;
  /** Fail when no step has finished for this long. @default 1_800_000, or the longest timeout if longer */
  progressDeadlineMs?: number;
  /**
   * Time between polls of one unit (a quarter of it around a transition this rollout has timed
   * before). @default 1_000, at most half of minHealthyMs and of the shortest timeout
   */
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
  /**
   * Canary: start this many instances of the new contents as extra indexes beside the N serving
   * ones (capacity never drops), wait until they are healthy, and stop with outcome `canary`;
   * `promoteService` rolls the rest out, `rollbackService` destroys the canaries. Ignored (with a
   * note) when nothing would be replaced. @default 0 (no canary)
   */
  canary?: number;
  /** With `canary`: promote by itself once the canaries stayed healthy this long. @default none (wait for promote) */
  canaryAutoPromoteMs?: number;
  /** Pause between two batches that replace or remove instances. @default 0 */
  batchDelayMs?: number;
  /**
   * Instance failures tolerated before the failure policy applies: a number, or a ratio of the
   * instances the plan starts (`0.2` = 20 %, rounded down). A failed instance within the budget is
   * destroyed and created again, so fleet can schedule it elsewhere. @default 0
   */
  maxFailures?: number;
  /** Lifecycle hooks (functions: also accepted on the deps). */
  hooks?: Hooks;
  /**
   * Roll a `Global=true` unit machine by machine: one instance per machine, `S@<n>`, each pinned
   * with `MachineID=` (the plan's `perMachine` lists the pairs). @default false (Global=true is refused)
   */
  perMachine?: boolean;
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
  /** `auto` in resolved settings; a plan's settings always hold the mode its steps use. */
  replaceMode: ReplaceModeSetting;
  minHealthyMs: number;
  timeouts: Timeouts;
  progressDeadlineMs: number;
  pollIntervalMs: number;
  onFailure: FailurePolicy;
  force: boolean;
  maxParallel: number;
  /** Canary instances (0: none). */
  canary: number;
  /** Auto-promote after this long; absent: wait for promote. */
  canaryAutoPromoteMs?: number;
  batchDelayMs: number;
  /** Resolved to a count: instance failures tolerated before the failure policy applies. */
  maxFailures: number;
  hooks: HookSettings;
  perMachine: boolean;
}

/** The defaults, in one place. */
export const DEFAULTS = Object.freeze({
  count: 3,
  maxUnavailable: 1,
  maxSurge: 0,
  machineAware: false,
  replaceMode: 'auto' as ReplaceModeSetting,
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
  hookTimeoutMs: 30_000,
});

/**
 * Apply the defaults. Does not validate: call validateSpec first.
 *
 * Defaults that depend on other settings are derived from what the caller set, so a setting given
 * alone never conflicts with a default (only settings the caller gave can conflict, see validateSpec):
 * - an unset per-state timeout is the default 10 min, at least 4 × a given pollIntervalMs, and at
 *   most a given progressDeadlineMs;
 * - an unset progressDeadlineMs is the default 30 min, or the longest timeout if that is longer;
 * - an unset minHealthyMs is the default 5 s, at most half the healthy timeout, at least 2 × a given
 *   pollIntervalMs;
 * - an unset pollIntervalMs is the default 1 s, at most half of minHealthyMs (when > 0), half the
 *   shortest timeout and a third of a given lock.ttlMs (at least 1 ms).
 *
 * Worked example: `progressDeadlineMs: 6_000` alone → every timeout 6 s, minHealthyMs 3 s,
 * pollIntervalMs 1 s. `minHealthyMs: 1_000` alone → pollIntervalMs 500 ms.
 */
export function resolveSettings(spec: RolloutSpec): ResolvedSettings {
  const maxSurge = spec.maxSurge ?? DEFAULTS.maxSurge;
  const poll = spec.pollIntervalMs;
  const given = definedOnly(spec.timeouts ?? {});
  const derivedTimeout = () => {
    let ms: number = DEFAULTS.timeouts.stop;
    if (poll !== undefined) ms = Math.max(ms, 4 * poll);
    if (spec.progressDeadlineMs !== undefined) ms = Math.min(ms, spec.progressDeadlineMs);
    return ms;
  };
  const timeouts: Timeouts = {
    stop: given.stop ?? derivedTimeout(),
    gone: given.gone ?? derivedTimeout(),
    launched: given.launched ?? derivedTimeout(),
    healthy: given.healthy ?? derivedTimeout(),
  };
  const longest = Math.max(...Object.values(timeouts));
  const shortest = Math.min(...Object.values(timeouts));
  const progressDeadlineMs = spec.progressDeadlineMs ?? Math.max(DEFAULTS.progressDeadlineMs, longest);
  const minHealthyMs =
    spec.minHealthyMs ??
    Math.max(
      Math.min(DEFAULTS.minHealthyMs, Math.floor(timeouts.healthy / 2)),
      poll === undefined ? 0 : 2 * poll,
    );
  let pollIntervalMs = poll;
  if (pollIntervalMs === undefined) {
    pollIntervalMs = Math.min(DEFAULTS.pollIntervalMs, Math.floor(shortest / 2));
    if (minHealthyMs > 0) pollIntervalMs = Math.min(pollIntervalMs, Math.floor(minHealthyMs / 2));
    if (spec.lock?.ttlMs !== undefined)
      pollIntervalMs = Math.min(pollIntervalMs, Math.floor(spec.lock.ttlMs / 3));
    pollIntervalMs = Math.max(1, pollIntervalMs);
  }
  return {
    count: spec.count ?? DEFAULTS.count,
    maxUnavailable: spec.maxUnavailable ?? (maxSurge > 0 ? 0 : DEFAULTS.maxUnavailable),
    maxSurge,
    machineAware: spec.machineAware ?? DEFAULTS.machineAware,
    replaceMode: spec.replaceMode ?? DEFAULTS.replaceMode,
    minHealthyMs,
    timeouts,
    progressDeadlineMs,
    pollIntervalMs,
    onFailure: spec.onFailure ?? DEFAULTS.onFailure,
    force: spec.force ?? DEFAULTS.force,
    maxParallel: spec.maxParallel ?? DEFAULTS.maxParallel,
    canary: spec.canary ?? 0,
    ...(spec.canaryAutoPromoteMs !== undefined ? { canaryAutoPromoteMs: spec.canaryAutoPromoteMs } : {}),
    batchDelayMs: spec.batchDelayMs ?? 0,
    maxFailures: failureBudget(spec.maxFailures, spec.count ?? DEFAULTS.count),
    hooks: {
      preStop: spec.hooks?.preStop !== undefined,
      postStart: spec.hooks?.postStart !== undefined,
      timeoutMs: spec.hooks?.timeoutMs ?? DEFAULTS.hookTimeoutMs,
    },
    perMachine: spec.perMachine ?? false,
  };
}

/** `maxFailures` as a count: a ratio (< 1) of `count`, rounded down; a number as given. */
export function failureBudget(maxFailures: number | undefined, count: number): number {
  if (maxFailures === undefined || maxFailures <= 0) return 0;
  return maxFailures < 1 ? Math.floor(maxFailures * count) : Math.floor(maxFailures);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
