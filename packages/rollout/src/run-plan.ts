/**
 * runPlan: the one driver for a plan. It owns what happens around the executor:
 *
 * 1. the record: a rollout plan with steps writes `in-progress` (with the previous contents, so
 *    `rollbackService` works even if this process dies) before its first step, and the final
 *    status after its last; a plan with nothing to do marks a record an earlier run left
 *    unfinished for the same contents as `succeeded`. Teardown plans (`newHash` '') write none;
 * 2. the failure policy (`plan.settings.onFailure`): `abort` → the failure; `pause` → PausedError;
 *    `rollback` → observe → `planRollback` (pure) → execute, under the same lock and rolloutId,
 *    its events marked `phase: 'rollback'` between `rollback-started` and `rollback-finished` /
 *    `rollback-failed`; RolledBackError when it worked, RollbackFailedError when it did not.
 *    A lost lock or a drift is never rolled back (someone else is changing the service);
 * 3. the end: releases the lock it was given, then emits `done` with the result.
 *
 * Resolves with the result when the plan ran; rejects otherwise — after `done` — with the error,
 * `error.result` attached.
 */

import { randomUUID } from 'node:crypto';
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import {
  DriftError,
  HookFailedError,
  LockLostError,
  messageOf,
  PausedError,
  RollbackFailedError,
  RolledBackError,
  RolloutAbortedError,
} from './errors.js';
import { type EventListener, emit, tagEvents } from './events.js';
import { executeSteps, type StepsRun } from './executor.js';
import type { LockHandle } from './lock.js';
import { nudgeBeforeRun } from './nudge.js';
import { observeCluster } from './observe.js';
import type { Plan } from './plan.js';
import { readRecord, writeRecord } from './record.js';
import {
  buildResult,
  emptyResult,
  type RolloutResult,
  replacedBy,
  resultError,
  withResult,
} from './result.js';
import { planRollback } from './rollback-plan.js';
import type { RolloutRecord } from './snapshot.js';
import type { HealthCheck, Hooks } from './spec.js';

export interface RunPlanDeps {
  api: FleetApi;
  /** @default systemClock */
  clock?: Clock;
  /** Abort: start no further step, finish the steps in flight, then RolloutAbortedError. The automatic rollback ignores it. */
  signal?: AbortSignal;
  /** Every event, tagged with the plan's service and `rolloutId`. */
  onEvent?: EventListener;
  /** The service's lock, taken by the caller: checked before every batch, released by runPlan before `done`. @default none (unlocked) */
  lock?: LockHandle;
  /** Health checks every new instance must pass (callbacks are not data, so not in the plan). @default [] */
  healthChecks?: readonly HealthCheck[];
  /** Tags every event. @default a random UUID */
  rolloutId?: string;
  /** Clock ms the whole run started (lock, observe), for `durationMs`. @default now */
  startedAt?: number;
  /** The service's record as the caller observed it (`null`: none): saves re-reading it. @default read when needed */
  record?: RolloutRecord | null;
  /** Units in the whole cluster when it was observed (`observation.units.length`): lets the capacity gate price a `/state` listing. @default unknown */
  clusterUnits?: number;
  /** Lifecycle hooks (functions are not data, so not in the plan; the plan's steps say where they run). @default none */
  hooks?: Hooks;
}

const STATUS_OF: Record<RolloutResult['outcome'], RolloutRecord['status']> = {
  succeeded: 'succeeded',
  unchanged: 'succeeded',
  canary: 'canary',
  'rolled-back': 'rolled-back',
  'rollback-failed': 'rollback-failed',
  paused: 'paused',
  aborted: 'aborted',
  failed: 'failed',
};

/** What one run shares between its parts. */
interface Run {
  plan: Plan;
  deps: RunPlanDeps;
  clock: Clock;
  started: number;
  rolloutId: string;
  onEvent: EventListener | undefined;
}

export async function runPlan(plan: Plan, deps: RunPlanDeps): Promise<RolloutResult> {
  const clock = deps.clock ?? systemClock;
  const rolloutId = deps.rolloutId ?? randomUUID();
  const run: Run = {
    plan,
    deps,
    clock,
    started: deps.startedAt ?? clock.now(),
    rolloutId,
    onEvent: tagEvents(deps.onEvent, { service: plan.service, rolloutId }),
  };
  let recorded: RolloutRecord | undefined;
  let final: RolloutResult | undefined;
  try {
    // a locked run: the lock's target-state again, before the record's write (nudge.ts)
    if (deps.lock) await nudgeBeforeRun(deps.api, plan, deps.signal);
    recorded = await recordStart(run);
    const steps = await executeSteps(plan, {
      api: deps.api,
      clock,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(run.onEvent ? { onEvent: run.onEvent } : {}),
      ...(deps.healthChecks ? { healthChecks: deps.healthChecks } : {}),
      ...(deps.hooks ? { hooks: deps.hooks } : {}),
      ...(deps.lock ? { lock: deps.lock } : {}),
      ...(deps.clusterUnits !== undefined ? { clusterUnits: deps.clusterUnits } : {}),
    });
    final = await settle(run, steps);
    return final;
  } catch (caught) {
    const failed = failure(caught, {
      service: plan.service,
      signal: deps.signal,
      clock,
      started: run.started,
    });
    final = failed.result;
    throw failed.error;
  } finally {
    if (recorded && final) await recordEnd(run, recorded, final);
    await endRun(run.onEvent, clock, run.started, final, deps.lock);
  }
}

/**
 * A run that failed before its plan ran (lock, observe, plan): release the lock, emit `done` with
 * a result that changed nothing, and return the error (with the result attached) to throw.
 */
export async function failBeforeRun(
  caught: unknown,
  run: {
    service: string;
    signal: AbortSignal | undefined;
    clock: Clock;
    started: number;
    onEvent: EventListener | undefined;
    lock: LockHandle | undefined;
  },
): Promise<unknown> {
  const { error, result } = failure(caught, run);
  await endRun(run.onEvent, run.clock, run.started, result, run.lock);
  return error;
}

/**
 * The error a run ends with, its result attached: the error's own (a policy's), or one that changed
 * nothing. An abort before any step ran (lock, observe, record) becomes RolloutAbortedError.
 */
function failure(
  caught: unknown,
  run: { service: string; signal: AbortSignal | undefined; clock: Clock; started: number },
): { error: unknown; result: RolloutResult } {
  const error =
    run.signal?.aborted && caught === run.signal.reason
      ? new RolloutAbortedError(run.service, [], caught)
      : caught;
  const own = (error as { result?: RolloutResult } | undefined)?.result;
  if (own) return { error, result: own };
  const outcome = error instanceof RolloutAbortedError ? 'aborted' : 'failed';
  const result = emptyResult(run.service, outcome, run.started, run.clock, { error });
  withResult(error, result);
  return { error, result };
}

/** Release the lock, then emit `done` (with the whole run's duration). */
async function endRun(
  onEvent: EventListener | undefined,
  clock: Clock,
  started: number,
  final: RolloutResult | undefined,
  lock: LockHandle | undefined,
): Promise<void> {
  await lock?.release();
  if (final)
    emit(onEvent, clock.now(), { type: 'done', result: { ...final, durationMs: clock.now() - started } });
}

/** Write `in-progress` before the first step of a rollout plan; returns the record written. */
async function recordStart({ plan, deps, clock }: Run): Promise<RolloutRecord | undefined> {
  if (plan.newHash === '') return undefined;
  if (plan.steps.length === 0) {
    // an earlier run may have finished the work but died before saying so
    const last =
      deps.record === undefined
        ? await readRecord(deps.api, plan.service, deps.signal)
        : (deps.record ?? undefined);
    if (last && recordToComplete(last, plan.newHash)) {
      await writeRecord(deps.api, plan.service, { ...last, status: 'succeeded', updated: clock.now() });
    }
    return undefined;
  }
  const record: RolloutRecord = {
    status: 'in-progress',
    updated: clock.now(),
    ...(deps.lock ? { owner: deps.lock.info.owner } : {}),
    target: {
      hash: plan.newHash,
      count: plan.count,
      // a canary keeps what it tries, so `promoteService` can roll it out later
      ...(plan.canary ? { options: plan.unitFile } : {}),
    },
    ...(plan.previous ? { previous: plan.previous } : {}),
  };
  await writeRecord(deps.api, plan.service, record);
  return record;
}

/** Is `record` an unfinished rollout to `hash` that a plan with nothing to do marks `succeeded`? */
export function recordToComplete(record: RolloutRecord | undefined, hash: string): boolean {
  return (
    record !== undefined &&
    hash !== '' &&
    record.target.hash === hash &&
    record.status !== 'succeeded' &&
    record.status !== 'canary' &&
    record.status !== 'rolled-back' &&
    record.status !== 'rollback-failed'
  );
}

/** Write the final status. Never throws: the record is advisory, the result is what counts. */
async function recordEnd({ plan, deps, clock }: Run, record: RolloutRecord, result: RolloutResult) {
  const next: RolloutRecord = { ...record, status: STATUS_OF[result.outcome], updated: clock.now() };
  await writeRecord(deps.api, plan.service, next).catch(() => {});
}

/** Apply the failure policy to how the steps ran: the result, or a throw with the result attached. */
async function settle(run: Run, steps: StepsRun): Promise<RolloutResult> {
  const { plan, clock, started } = run;
  if (steps.error === undefined && !steps.aborted && plan.canary && plan.canary.autoPromoteMs === undefined) {
    emit(run.onEvent, clock.now(), { type: 'canary-ready', units: plan.canary.units });
    return { ...buildResult(plan, 'canary', steps.completed, started, clock), canaries: plan.canary.units };
  }
  if (steps.error === undefined && !steps.aborted)
    return buildResult(
      plan,
      plan.steps.length === 0 ? 'unchanged' : 'succeeded',
      steps.completed,
      started,
      clock,
    );
  if (steps.error === undefined) {
    const error = new RolloutAbortedError(plan.service, steps.completed, run.deps.signal?.reason);
    throw withResult(error, buildResult(plan, 'aborted', steps.completed, started, clock, error));
  }
  const cause = steps.error;
  // someone else is changing the service: neither roll back nor call it paused
  // a failed pre-stop hook: nothing was taken down, and the operator's own tooling said no — stop
  const foreign =
    cause instanceof LockLostError ||
    cause instanceof DriftError ||
    (cause instanceof HookFailedError && cause.hook === 'pre-stop');
  if (plan.settings.onFailure === 'rollback' && !foreign) return rollBack(run, steps, cause);
  if (plan.settings.onFailure === 'pause' && !foreign) {
    const error = new PausedError(plan.service, cause);
    throw withResult(error, buildResult(plan, 'paused', steps.completed, started, clock, error));
  }
  throw withResult(cause, buildResult(plan, 'failed', steps.completed, started, clock, cause));
}

/**
 * Put the previous contents back (or tear a new service down): observe → planRollback → execute.
 * Not cancelled by the signal that may have stopped the rollout; still stopped by a lost lock.
 */
async function rollBack(run: Run, forward: StepsRun, cause: unknown): Promise<never> {
  const { plan, deps, clock, started } = run;
  const toHash = plan.previous && plan.previous.options.length > 0 ? plan.previous.hash : '';
  emit(run.onEvent, clock.now(), {
    type: 'rollback-started',
    reason: messageOf(cause),
    error: resultError(cause),
    toHash,
  });
  let back: Plan | undefined;
  let backward: StepsRun = { completed: [], attempted: [], aborted: false };
  let failure: unknown;
  try {
    const snapshot = await observeCluster(deps.api, plan.service, {
      ...(deps.lock ? { signal: deps.lock.signal } : {}),
      machines: plan.settings.perMachine === true, // per machine: the pins need the machines
    });
    back = planRollback(plan, snapshot);
    const onEvent = tagEvents(deps.onEvent, {
      service: plan.service,
      rolloutId: run.rolloutId,
      phase: 'rollback',
    });
    backward = await executeSteps(back, {
      api: deps.api,
      clock,
      ...(onEvent ? { onEvent } : {}),
      ...(deps.healthChecks ? { healthChecks: deps.healthChecks } : {}),
      ...(deps.hooks ? { hooks: deps.hooks } : {}),
      ...(deps.lock ? { lock: deps.lock } : {}),
    });
    failure = backward.error;
  } catch (error) {
    failure = error;
  }
  const completed = [...forward.completed, ...backward.completed];
  const rolledBack = replacedBy(backward.completed);
  const summary = (outcome: RolloutResult['outcome'], error: unknown): RolloutResult => ({
    ...buildResult(back ?? plan, outcome, completed, started, clock, error),
    hash: toHash,
    replaced: replacedBy(forward.completed),
    rolledBack,
  });
  if (failure === undefined) {
    emit(run.onEvent, clock.now(), { type: 'rollback-finished', toHash, rolledBack });
    const error = new RolledBackError(plan.service, cause);
    throw withResult(error, summary('rolled-back', error));
  }
  emit(run.onEvent, clock.now(), {
    type: 'rollback-failed',
    toHash,
    rolledBack,
    error: resultError(failure),
  });
  const error = new RollbackFailedError(plan.service, cause, failure);
  throw withResult(error, { ...summary('rollback-failed', error), rollbackError: resultError(failure) });
}
