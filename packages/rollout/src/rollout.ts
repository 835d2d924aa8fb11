/**
 * rollout: validate → lock → observe → plan → runPlan (record, execute, failure policy, record,
 * unlock, `done`). Dry run: observe → plan → `plan` event; no lock, no write.
 * rollbackService: roll the recorded previous contents out again, the same way.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import { InvalidSpecError, NoRecordError, NoSuchServiceError, UnsupportedUnitError } from './errors.js';
import { type EventListener, emit, tagEvents } from './events.js';
import { acquireLock, type LockHandle } from './lock.js';
import { observeCluster, observeUnits } from './observe.js';
import { planRollout } from './planner.js';
import { emptyResult, type RolloutResult } from './result.js';
import { failBeforeRun, type RunPlanDeps, runPlan } from './run-plan.js';
import type { LockOptions, RolloutSpec } from './spec.js';
import { outageProblems, validateSpec } from './validate-spec.js';

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
export async function rollout(spec: RolloutSpec, deps: RolloutDeps): Promise<RolloutResult> {
  assertValidSpec(spec);
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const rolloutId = deps.rolloutId ?? randomUUID();
  const onEvent = tagEvents(deps.onEvent, { service: spec.service, rolloutId });
  const observe = () =>
    observeCluster(deps.api, spec.service, { ...(deps.signal ? { signal: deps.signal } : {}) });
  if (deps.dryRun) {
    const plan = planRollout(spec, await observe());
    assertNoOutage(spec, plan.count);
    emit(onEvent, clock.now(), { type: 'plan', plan });
    return emptyResult(spec.service, 'unchanged', started, clock, {
      hash: plan.newHash,
      unchanged: plan.unchanged,
    });
  }
  let lock: LockHandle | undefined;
  let plan: ReturnType<typeof planRollout>;
  try {
    lock = await lockService(spec.service, spec.lock, { ...deps, clock, rolloutId });
    plan = planRollout(spec, await observe());
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
  const healthChecks = spec.healthChecks ?? deps.healthChecks;
  return runPlan(plan, {
    ...deps,
    clock,
    lock,
    rolloutId,
    startedAt: started,
    ...(healthChecks ? { healthChecks } : {}),
  });
}

/**
 * `fs rollback S`: roll the previous contents kept in the record back out, with the spec's strategy
 * (count defaults to the previous count). Rolling back twice returns to where you started.
 * NoSuchServiceError when S has no units; NoRecordError when no previous contents are recorded.
 */
export async function rollbackService(
  service: string,
  deps: RolloutDeps & { spec?: Partial<RolloutSpec> },
): Promise<RolloutResult> {
  const snapshot = await observeUnits(deps.api, service, deps.signal);
  if (snapshot.units.length === 0) throw new NoSuchServiceError(service);
  const record = snapshot.record;
  if (!record?.previous || record.previous.options.length === 0) throw new NoRecordError(service);
  const { spec: partial, ...rest } = deps;
  return rollout(
    {
      ...partial,
      service,
      unitFile: record.previous.options,
      count: partial?.count ?? (record.previous.count > 0 ? record.previous.count : record.target.count),
    },
    rest,
  );
}
