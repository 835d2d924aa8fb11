/**
 * rollout: validate → observe → plan (no lock); nothing to do → runPlan without a lock (no write
 * at all, unless an unfinished record of these contents is to be completed); otherwise lock →
 * re-observe under the lock (reobserve.ts) → re-plan → runPlan (record, execute, failure policy,
 * record, unlock, `done`). Dry run: observe → plan → `plan` event; no lock, no write.
 * rollbackService: roll the recorded previous contents out again, the same way.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type FleetApi, systemClock, type UnitOption } from '@fleet-service/fleet-client';
import {
  type ClusterObservation,
  launchedIn,
  observeClusterState,
  snapshotOf,
} from './cluster-observation.js';
import {
  InvalidSpecError,
  NoCanaryError,
  NoRecordError,
  NoSuchServiceError,
  UnsupportedUnitError,
} from './errors.js';
import { type EventListener, emit, tagEvents } from './events.js';
import { acquireLock, type LockHandle } from './lock.js';
import { observeUnits } from './observe.js';
import { isPinnedService, keepPerMachine } from './per-machine.js';
import type { Plan } from './plan.js';
import { planRollout } from './planner.js';
import { reobserve } from './reobserve.js';
import { emptyResult, type RolloutResult } from './result.js';
import { failBeforeRun, type RunPlanDeps, recordToComplete, runPlan } from './run-plan.js';
import type { ClusterSnapshot, RolloutRecord } from './snapshot.js';
import type { LockOptions, RolloutSpec } from './spec.js';
import { isGlobalUnitFile, outageProblems, validateSpec } from './validate-spec.js';

export interface RolloutDeps extends Omit<RunPlanDeps, 'lock' | 'startedAt'> {
  /** Shown in the lock (the library reads nothing from the process: the CLI passes os.hostname()). @default 'unknown' */
  host?: string;
  /** Shown in the lock (the CLI passes process.pid). @default 0 */
  pid?: number;
  /** Observe and plan (emitting `plan`), change nothing, take no lock; resolves with outcome `unchanged` and no steps. */
  dryRun?: boolean;
}

/** Throw the right error for a spec's problems, if any. */
export function assertValidSpec(spec: RolloutSpec): void {
  const problems = validateSpec(spec);
  if (problems.length === 0) return;
  const unsupported = problems.filter((p) => p.kind === 'unsupported');
  if (unsupported.length === problems.length) throw new UnsupportedUnitError(unsupported);
  throw new InvalidSpecError(problems);
}

/** A count kept from the cluster (spec.count absent) is only known after planning: check the outage rule then. */
function assertNoOutage(spec: RolloutSpec, count: number): void {
  if (spec.count !== undefined) return; // validateSpec checked it
  const problems = outageProblems(spec, count);
  if (problems.length > 0) throw new InvalidSpecError(problems);
}

/** Who takes a lock and where its events go. */
export interface LockServiceDeps {
  api: FleetApi;
  /** @default systemClock */
  clock?: Clock;
  /** Gives up waiting (settling, retries) when aborted. */
  signal?: AbortSignal;
  /** Lock events, tagged with the service and `rolloutId`. */
  onEvent?: EventListener;
  /** Tags the lock's events: pass the same id to `runPlan`. @default a random UUID */
  rolloutId?: string;
  /** Shown in the lock. @default 'unknown' */
  host?: string;
  /** Shown in the lock. @default 0 */
  pid?: number;
}

/**
 * Take the service's lock (LockHeldError when another rollout holds it), for `runPlan(plan, {lock})`,
 * which checks it before every batch and releases it when done. `lock` as in `RolloutSpec.lock`.
 */
export function lockService(
  service: string,
  lock: LockOptions | undefined,
  deps: LockServiceDeps,
): Promise<LockHandle> {
  const onEvent = tagEvents(deps.onEvent, { service, rolloutId: deps.rolloutId ?? randomUUID() });
  return acquireLock(deps.api, deps.clock ?? systemClock, service, {
    owner: lock?.owner ?? 'fs',
    host: deps.host ?? 'unknown',
    pid: deps.pid ?? 0,
    ...(lock?.ttlMs !== undefined ? { ttlMs: lock.ttlMs } : {}),
    ...(lock?.steal !== undefined ? { steal: lock.steal } : {}),
    ...(lock?.settleMs !== undefined ? { settleMs: lock.settleMs } : {}),
    ...(lock?.isHolderAlive ? { isHolderAlive: lock.isHolderAlive } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
}

/**
 * Roll `spec` out. Resolves with the result when every instance runs the new contents; rejects with
 * a RolloutError (or a FleetError) otherwise — after the `done` event — with `error.result` attached.
 */
export async function rollout(given: RolloutSpec, deps: RolloutDeps): Promise<RolloutResult> {
  // hooks given on the deps count as the spec's (the plan marks where they run)
  const hooks = given.hooks ?? deps.hooks;
  let spec: RolloutSpec = hooks ? { ...given, hooks } : given;
  // Global=true without perMachine: allowed only for a service already pinned per machine (seen below)
  const global = isGlobalUnitFile(spec.unitFile) && spec.perMachine === undefined;
  assertValidSpec(global ? { ...spec, perMachine: true } : spec);
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const rolloutId = deps.rolloutId ?? randomUUID();
  const onEvent = tagEvents(deps.onEvent, { service: spec.service, rolloutId });
  const signal = deps.signal ? { signal: deps.signal } : {};
  const healthChecks = spec.healthChecks ?? deps.healthChecks;
  const run = (plan: Plan, extra: Partial<RunPlanDeps>) =>
    runPlan(plan, {
      ...deps,
      clock,
      rolloutId,
      startedAt: started,
      ...(healthChecks ? { healthChecks } : {}),
      ...(hooks ? { hooks } : {}),
      ...extra,
    });
  let lock: LockHandle | undefined;
  let plan: Plan;
  let first: ClusterObservation;
  let snapshot: ClusterSnapshot;
  try {
    // observe and plan without the lock: a rerun with nothing to do writes nothing
    // no /machines: planning does not use them (health checks look machines up when they run)
    // (per machine: the machines too, to pin one instance to each)
    first = await observeClusterState(deps.api, {
      ...signal,
      services: [spec.service],
      machines: spec.perMachine === true || global,
    });
    snapshot = snapshotOf(first, spec.service);
    if (global) {
      spec = keepPerMachine(spec, snapshot);
      assertValidSpec(spec); // not pinned yet: the refusal says what perMachine would do
    }
    plan = planRollout(spec, snapshot);
    assertNoOutage(spec, plan.count);
  } catch (caught) {
    throw await failBeforeRun(caught, {
      service: spec.service,
      signal: deps.signal,
      clock,
      started,
      onEvent,
      lock,
    });
  }
  if (deps.dryRun) {
    emit(onEvent, clock.now(), { type: 'plan', plan });
    return emptyResult(spec.service, 'unchanged', started, clock, {
      hash: plan.newHash,
      unchanged: plan.unchanged,
    });
  }
  const clusterUnits = launchedIn(first.units);
  if (plan.steps.length === 0 && !recordToComplete(snapshot.record, plan.newHash))
    return run(plan, { record: snapshot.record ?? null, clusterUnits });
  try {
    lock = await lockService(spec.service, spec.lock, { ...deps, clock, rolloutId });
    // re-observe under the lock: what another rollout may have changed since the first look
    snapshot = await reobserve(deps.api, spec.service, snapshot, {
      signal: deps.signal,
      clusterUnits: first.units.length,
      machines: spec.perMachine === true,
    });
    plan = planRollout(spec, snapshot);
    assertNoOutage(spec, plan.count);
  } catch (caught) {
    throw await failBeforeRun(caught, {
      service: spec.service,
      signal: deps.signal,
      clock,
      started,
      onEvent,
      lock,
    });
  }
  return run(plan, { lock, record: snapshot.record ?? null, clusterUnits });
}

/** What `rollbackService` and `promoteService` take: the deps, and strategy settings for the rollout. */
export type RecordedRolloutDeps = RolloutDeps & { spec?: Partial<RolloutSpec> };

/**
 * Roll out contents kept in the service's record: observe its units (NoSuchServiceError when it
 * has none), let `pick` choose the contents and count from the record (or throw), then `rollout`
 * with the caller's strategy — never as a canary: these contents were already tried.
 */
async function rolloutRecorded(
  service: string,
  deps: RecordedRolloutDeps,
  pick: (record: RolloutRecord | undefined) => { unitFile: UnitOption[]; count: number },
): Promise<RolloutResult> {
  const snapshot = await observeUnits(deps.api, service, deps.signal);
  if (snapshot.units.length === 0) throw new NoSuchServiceError(service);
  const { unitFile, count } = pick(snapshot.record);
  const { spec: partial, ...rest } = deps;
  const { canary: _c, canaryAutoPromoteMs: _a, ...strategy } = partial ?? {};
  // a service rolled per machine stays pinned (its recorded contents are the template's, unpinned)
  const perMachine = partial?.perMachine ?? isPinnedService(snapshot);
  return rollout(
    { ...strategy, service, unitFile, ...(perMachine ? { perMachine } : { count: partial?.count ?? count }) },
    rest,
  );
}

/**
 * `fs rollback S`: roll the previous contents kept in the record back out, with the spec's strategy
 * (count defaults to the previous count). Rolling back twice returns to where you started. After a
 * canary (record status `canary`) that destroys the canaries and leaves the old instances alone.
 * NoSuchServiceError when S has no units; NoRecordError when no previous contents are recorded.
 */
export function rollbackService(service: string, deps: RecordedRolloutDeps): Promise<RolloutResult> {
  return rolloutRecorded(service, deps, (record) => {
    if (!record?.previous || record.previous.options.length === 0) throw new NoRecordError(service);
    const count = record.previous.count > 0 ? record.previous.count : record.target.count;
    return { unitFile: record.previous.options, count };
  });
}

/**
 * `fs promote S`: roll out the contents a canary run left on its canaries (kept in the record) to
 * every instance, the same way as `rollout` — the canary indexes are removed last, once the new
 * contents run everywhere. NoSuchServiceError when S has no units; NoCanaryError when the last
 * rollout did not stop with outcome `canary`.
 */
export function promoteService(service: string, deps: RecordedRolloutDeps): Promise<RolloutResult> {
  return rolloutRecorded(service, deps, (record) => {
    const options = record?.target.options;
    if (record?.status !== 'canary' || !options || options.length === 0)
      throw new NoCanaryError(service, record?.status);
    return { unitFile: options, count: record.target.count };
  });
}
