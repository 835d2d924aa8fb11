/**
 * executePlan: the only part with effects. Batches run in order; the steps of one batch run
 * together, at most `settings.maxParallel` at a time (step-pool.ts: a batch of 1,000 new instances
 * never has more than 50 steps' requests and waits in flight by default). Between batches it checks
 * the AbortSignal and the lock. On failure it applies the plan's failure policy:
 *
 * - `abort`: stop issuing steps (no further step of the batch starts), let the steps in flight
 *   finish, leave everything else serving.
 * - `pause`: the same, reported as paused (rerun the rollout to resume).
 * - `rollback`: re-read the service and roll the previous contents (kept in the cluster's record
 *   unit) back with the same strategy; a service that did not exist before is torn down.
 *
 * Abort (the signal): no further step starts; steps in flight still waiting at the capacity gate
 * stop there (nothing was taken down); the others are finished (their waits are bounded by their
 * timeouts), so capacity is never left below the guarantee — steps of a capacity-adding batch
 * simply finish, they take nothing down; then RolloutAbortedError with the completed steps.
 *
 * Every take-down of a running instance passes the capacity gate (capacity-gate.ts): fresh /state
 * reads must show that N − maxUnavailable others still run.
 */
import { type Clock, type FleetApi, type Machine, systemClock } from '@fleet-service/fleet-client';
import { createCapacityGate, isTakeDownCancelled } from './capacity-gate.js';
import {
  DriftError,
  isRolloutError,
  LockLostError,
  messageOf,
  PausedError,
  ROLLOUT_ERROR_CODES,
  RolledBackError,
  RolloutAbortedError,
  type RolloutError,
} from './errors.js';
import { emit, type RolloutEvent } from './events.js';
import type { LockHandle } from './lock.js';
import { observeCluster } from './observe.js';
import type { Plan, PlanStep } from './plan.js';
import { planRollout } from './planner.js';
import { buildResult, type RolloutOutcome, type RolloutResult, resultError, withResult } from './result.js';
import { DEFAULTS, type HealthCheck } from './spec.js';
import { runPool } from './step-pool.js';
import { runStep, type StepContext } from './step-runner.js';
import { planTeardown } from './teardown.js';
import { type ProgressClock, retryTransient, TransitionPace } from './wait.js';

export interface ExecuteDeps {
  api: FleetApi;
  /** @default systemClock */
  clock?: Clock;
  /** Abort: start no further step, finish the steps in flight, then stop with RolloutAbortedError. */
  signal?: AbortSignal;
  onEvent?: (e: RolloutEvent) => void;
  /** Health checks every new instance must pass (not part of the plan: callbacks are not data). */
  healthChecks?: HealthCheck[];
}

/** Engine-internal extras (the lock, whether a rollback may be attempted). */
export interface ExecuteInternals {
  lock?: LockHandle;
  allowRollback?: boolean;
  /** Start time of the whole rollout, for durationMs. */
  startedAt?: number;
  /** Leave the `done` event to the caller (rollout() sends it after releasing the lock). */
  deferDone?: boolean;
}

/** Run the plan. Resolves with the result on success; rejects (after the `done` event) with the error, `error.result` attached. */
export async function executePlan(plan: Plan, deps: ExecuteDeps): Promise<RolloutResult> {
  return executeInternal(plan, deps, {});
}

interface BatchRun {
  completed: PlanStep[];
  /** Steps started (completed or not). */
  attempted: PlanStep[];
  error?: unknown;
  aborted: boolean;
}

async function runBatches(
  plan: Plan,
  deps: ExecuteDeps,
  internals: ExecuteInternals,
  progress: ProgressClock,
): Promise<BatchRun> {
  const clock = deps.clock ?? systemClock;
  const machines = new Map<string, Machine>();
  const ctx: StepContext = {
    api: deps.api,
    clock,
    ...(internals.lock ? { signal: internals.lock.signal } : {}),
    settings: plan.settings,
    progress,
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    healthChecks: deps.healthChecks ?? [],
    pace: new TransitionPace(),
    plan,
    machine: async (id) => {
      if (!machines.has(id)) for (const m of await deps.api.listMachines()) if (m.id) machines.set(m.id, m);
      return machines.get(id);
    },
  };
  if (plan.newHash !== '') {
    // capacity first: every take-down is checked against what actually runs (capacity-gate.ts)
    ctx.gate = createCapacityGate(ctx, {
      instances: instancesOf(plan),
      guarantee: Math.max(0, plan.count - plan.settings.maxUnavailable),
      ...(deps.signal ? { abort: deps.signal } : {}),
    });
  }
  const byBatch = new Map<number, PlanStep[]>();
  for (const s of plan.steps) {
    const batch = byBatch.get(s.batch);
    if (batch) batch.push(s);
    else byBatch.set(s.batch, [s]);
  }
  const completed: PlanStep[] = [];
  const attempted: PlanStep[] = [];
  /** Steps of the batch in flight that started and have not finished. */
  const inFlight = new Set<PlanStep>();
  const onAbort = () =>
    emit(deps.onEvent, clock.now(), { type: 'abort-requested', inFlight: [...inFlight].map((s) => s.unit) });
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await runEachBatch();
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }

  async function runStepWithEvents(step: PlanStep): Promise<void> {
    attempted.push(step);
    inFlight.add(step);
    const t0 = clock.now();
    emit(deps.onEvent, t0, { type: 'step-started', step });
    try {
      const { skipped } = await runStep(ctx, step);
      progress.lastProgress = clock.now();
      emit(deps.onEvent, clock.now(), {
        type: 'step-finished',
        step,
        durationMs: clock.now() - t0,
        ...(skipped ? { skipped } : {}),
      });
    } catch (error) {
      emit(deps.onEvent, clock.now(), {
        type: 'step-failed',
        step,
        durationMs: clock.now() - t0,
        error: resultError(error),
      });
      throw error;
    } finally {
      inFlight.delete(step);
    }
  }

  async function runEachBatch(): Promise<BatchRun> {
    for (const [, steps] of [...byBatch.entries()].sort((a, b) => a[0] - b[0])) {
      if (deps.signal?.aborted) return { completed, attempted, aborted: true };
      if (internals.lock) {
        try {
          await internals.lock.verify();
        } catch (error) {
          return { completed, attempted, error, aborted: false };
        }
      }
      // at most maxParallel steps in flight; after a failure or an abort no further step starts
      // (those in flight finish: a take-down still at the capacity gate is cancelled there)
      let failedOnce = false;
      const settled = await runPool(
        steps,
        plan.settings.maxParallel ?? DEFAULTS.maxParallel, // a plan saved before maxParallel existed
        (step) =>
          runStepWithEvents(step).catch((error: unknown) => {
            if (!isTakeDownCancelled(error)) failedOnce = true;
            throw error;
          }),
        () => !failedOnce && !deps.signal?.aborted,
      );
      settled.forEach((r, k) => {
        if (r?.status === 'fulfilled') completed.push(steps[k]!);
      });
      const failed = settled.find(
        (r): r is PromiseRejectedResult => r?.status === 'rejected' && !isTakeDownCancelled(r.reason),
      );
      if (failed) return { completed, attempted, error: failed.reason, aborted: false };
      // a step the abort caught at the capacity gate changed nothing, and steps the abort kept from
      // starting were not begun: stop as aborted
      if (settled.some((r) => r?.status !== 'fulfilled')) return { completed, attempted, aborted: true };
    }
    return { completed, attempted, aborted: false };
  }
}

export async function executeInternal(
  plan: Plan,
  deps: ExecuteDeps,
  internals: ExecuteInternals,
): Promise<RolloutResult> {
  const clock = deps.clock ?? systemClock;
  const started = internals.startedAt ?? clock.now();
  emit(deps.onEvent, clock.now(), { type: 'plan', plan });
  const progress: ProgressClock = { lastProgress: clock.now(), ms: plan.settings.progressDeadlineMs };
  const run = await runBatches(plan, deps, internals, progress);

  const finish = (
    outcome: RolloutOutcome,
    completed: PlanStep[],
    error?: unknown,
    resultPlan = plan,
  ): RolloutResult => {
    const result = buildResult(resultPlan, outcome, completed, started, clock, error);
    if (!internals.deferDone) emit(deps.onEvent, clock.now(), { type: 'done', result });
    return result;
  };

  if (run.error === undefined && !run.aborted)
    return finish(plan.steps.length === 0 ? 'unchanged' : 'succeeded', run.completed);
  await removeUnfinishedSpares(deps, run);
  if (run.error === undefined) {
    const error = new RolloutAbortedError(plan.service, run.completed, deps.signal?.reason);
    throw withResult(error, finish('aborted', run.completed, error));
  }

  const cause = run.error;
  const refusesRollback =
    cause instanceof LockLostError ||
    cause instanceof DriftError ||
    isRolloutError(cause, ROLLOUT_ERROR_CODES.lockLost);
  if (plan.settings.onFailure === 'rollback' && internals.allowRollback !== false && !refusesRollback) {
    emit(deps.onEvent, clock.now(), {
      type: 'rollback-started',
      reason: messageOf(cause),
      toHash: plan.previous?.hash ?? '',
    });
    try {
      const back = await rollBack(plan, deps, internals);
      const error = new RolledBackError(plan.service, cause);
      const result = buildResult(
        back.plan,
        'rolled-back',
        [...run.completed, ...back.result.completedSteps],
        started,
        clock,
        error,
      );
      result.replaced = buildResult(plan, 'failed', run.completed, started, clock).replaced;
      if (!internals.deferDone) emit(deps.onEvent, clock.now(), { type: 'done', result });
      throw withResult(error, result);
    } catch (error) {
      if (isRolloutError(error, ROLLOUT_ERROR_CODES.rolledBack)) throw error;
      // the rollback itself failed: report the original failure, with the rollback's as context
      const failed = cause as RolloutError;
      throw withResult(failed, finish('failed', run.completed, cause));
    }
  }
  if (plan.settings.onFailure === 'pause' && !refusesRollback) {
    const error = new PausedError(plan.service, cause);
    throw withResult(error, finish('paused', run.completed, error));
  }
  throw withResult(cause, finish('failed', run.completed, cause));
}

/** The service's indexed instances the plan knows: left alone, created, replaced, spares, above N. */
function instancesOf(plan: Plan): string[] {
  const names = new Set(plan.unchanged);
  for (const s of plan.steps)
    if (s.role === 'instance' || s.role === 'surge' || s.role === 'extra') names.add(s.unit);
  return [...names];
}

/**
 * A spare whose create step did not finish (it failed, or never became running) adds no capacity:
 * destroy it so no orphan is left. Spares that run are kept (listed in `keptSpares`) when the
 * rollout stops early, since removing them could drop capacity below N.
 */
async function removeUnfinishedSpares(deps: ExecuteDeps, run: BatchRun): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const done = new Set(run.completed.map((s) => s.id));
  for (const step of run.attempted) {
    if (step.role !== 'surge' || step.action !== 'create' || done.has(step.id)) continue;
    await retryTransient(
      clock,
      () => deps.api.destroyUnit(step.unit, { ignoreNotFound: true }),
      undefined,
      8,
    ).catch(() => {});
  }
}

/** Put the previous contents back (or tear a brand-new service down) with the same strategy. */
async function rollBack(
  plan: Plan,
  deps: ExecuteDeps,
  internals: ExecuteInternals,
): Promise<{ plan: Plan; result: RolloutResult }> {
  const snapshot = await observeCluster(deps.api, plan.service);
  const s = plan.settings;
  let back: Plan;
  if (plan.previous && plan.previous.options.length > 0) {
    back = planRollout(
      {
        service: plan.service,
        unitFile: plan.previous.options,
        count: plan.previous.count > 0 ? plan.previous.count : plan.count,
        maxUnavailable: s.maxUnavailable,
        maxSurge: s.maxSurge,
        machineAware: s.machineAware,
        replaceMode: s.replaceMode,
        minHealthyMs: s.minHealthyMs,
        timeouts: s.timeouts,
        progressDeadlineMs: s.progressDeadlineMs,
        pollIntervalMs: s.pollIntervalMs,
        onFailure: 'abort',
        maxParallel: s.maxParallel,
      },
      snapshot,
    );
  } else {
    const steps = planTeardown(snapshot, { batchSize: Math.max(1, s.maxUnavailable + s.maxSurge) });
    back = {
      ...plan,
      newHash: '',
      steps,
      unchanged: [],
      settings: { ...s, onFailure: 'abort' },
      notes: ['rollback of a new service: tear it down'],
    };
  }
  // the rollback is not cancelled by the signal that may have stopped the rollout
  const { signal: _ignored, ...unsignalled } = deps;
  const result = await executeInternal(back, unsignalled, {
    ...internals,
    allowRollback: false,
    deferDone: true,
  });
  return { plan: back, result };
}
