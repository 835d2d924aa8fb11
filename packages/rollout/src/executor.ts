/**
 * executeSteps: the only part with effects, and it only executes: no re-planning, no observing, no
 * failure policy (run-plan.ts decides what a failure means). Batches run in order; the steps of one
 * batch run together, at most `settings.maxParallel` at a time (step-pool.ts: a batch of 1,000 new
 * instances never has more than 50 steps' requests and waits in flight by default). Between
 * batches it checks the AbortSignal and the lock.
 *
 * After a failure no further step starts (no further step of the batch either); the steps in
 * flight finish. Abort (the signal): no further step starts; steps in flight still waiting at the
 * capacity gate stop there (nothing was taken down); the others are finished (their waits are
 * bounded by their timeouts), so capacity is never left below the guarantee — steps of a
 * capacity-adding batch simply finish, they take nothing down. Either way a surge spare whose
 * create step did not finish is destroyed again.
 *
 * Every take-down of a running instance passes the capacity gate (capacity-gate.ts): fresh /state
 * reads at most one poll interval old must show that N − maxUnavailable others still run.
 */

import type { Clock, FleetApi, Machine } from '@fleet-service/fleet-client';
import { createCapacityGate, isTakeDownCancelled } from './capacity-gate.js';
import { type EventListener, emit } from './events.js';
import { type FailureBudget, runStepWithinBudget } from './failure-budget.js';
import type { LockHandle } from './lock.js';
import type { Plan, PlanStep } from './plan.js';
import { lockUnitName } from './reserved-units.js';
import { resultError } from './result.js';
import { DEFAULTS, type HealthCheck, type Hooks } from './spec.js';
import { shareStateReads } from './state-reads.js';
import { runPool } from './step-pool.js';
import type { StepContext } from './step-runner.js';
import { type ProgressClock, TransitionPace } from './wait.js';

export interface ExecuteDeps {
  api: FleetApi;
  clock: Clock;
  /** Abort: start no further step, finish the steps in flight. */
  signal?: AbortSignal;
  /** Already tagged (events.ts `tagEvents`). */
  onEvent?: EventListener;
  /** Health checks every new instance must pass (not part of the plan: callbacks are not data). */
  healthChecks?: readonly HealthCheck[];
  /** Checked before every batch; its signal cancels the waits when the lock is lost. */
  lock?: LockHandle;
  /** Units in the whole cluster when it was observed: prices the capacity gate's `/state` listing. @default unknown */
  clusterUnits?: number;
  /** Lifecycle hooks (functions, not part of the plan). */
  hooks?: Hooks;
}

/** How a plan's execution ended. */
export interface StepsRun {
  /** Steps that finished, in the order they finished within their batch. */
  completed: PlanStep[];
  /** Steps started (completed or not). */
  attempted: PlanStep[];
  /** The first failure (a step's, or the lock's); absent when every step ran or on abort. */
  error?: unknown;
  /** The signal stopped it before every step ran. */
  aborted: boolean;
}

/** Emit `plan`, run its steps, clean up unfinished spares. Never throws for a step's failure: see `error`. */
export async function executeSteps(plan: Plan, deps: ExecuteDeps): Promise<StepsRun> {
  emit(deps.onEvent, deps.clock.now(), { type: 'plan', plan });
  const progress: ProgressClock = { lastProgress: deps.clock.now(), ms: plan.settings.progressDeadlineMs };
  const run = await runBatches(plan, deps, progress);
  if (run.error !== undefined || run.aborted) await removeUnfinishedSpares(deps, run);
  return run;
}

async function runBatches(plan: Plan, deps: ExecuteDeps, progress: ProgressClock): Promise<StepsRun> {
  const { clock } = deps;
  const machines = new Map<string, Machine>();
  const ctx: StepContext = {
    // the waits' /state reads, gathered per turn across steps (state-reads.ts)
    api: shareStateReads(deps.api, deps.clusterUnits),
    clock,
    ...(deps.lock ? { signal: deps.lock.signal } : {}),
    settings: plan.settings,
    progress,
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
    healthChecks: deps.healthChecks ?? [],
    pace: new TransitionPace(),
    plan,
    ...(deps.hooks ? { hooks: deps.hooks } : {}),
    ...(deps.lock ? { lockUnit: lockUnitName(plan.service) } : {}),
    machine: async (id) => {
      if (!machines.has(id)) for (const m of await deps.api.listMachines()) if (m.id) machines.set(m.id, m);
      return machines.get(id);
    },
  };
  if (plan.newHash !== '') {
    // capacity first: every take-down is checked against what actually runs (capacity-gate.ts)
    const gate = createCapacityGate(ctx, {
      instances: instancesOf(plan),
      machines: machinesOf(plan),
      guarantee: Math.max(0, plan.count - plan.settings.maxUnavailable),
      ...(deps.signal ? { abort: deps.signal } : {}),
      ...(deps.clusterUnits !== undefined ? { clusterStates: deps.clusterUnits } : {}),
    });
    ctx.gate = gate;
    ctx.seen = (unit, states) => gate.seen(unit, states);
  }
  const byBatch = new Map<number, PlanStep[]>();
  for (const s of plan.steps) {
    const batch = byBatch.get(s.batch);
    if (batch) batch.push(s);
    else byBatch.set(s.batch, [s]);
  }
  const completed: PlanStep[] = [];
  const attempted: PlanStep[] = [];
  const budget: FailureBudget = { budget: plan.settings.maxFailures ?? 0, used: 0 };
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
      const { skipped } = await runStepWithinBudget(ctx, step, budget);
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

  async function runEachBatch(): Promise<StepsRun> {
    let first = true;
    for (const [batch, steps] of [...byBatch.entries()].sort((a, b) => a[0] - b[0])) {
      if (deps.signal?.aborted) return { completed, attempted, aborted: true };
      const delay = plan.settings.batchDelayMs ?? 0;
      if (!first && delay > 0) {
        // pacing (Swarm's `delay`): on the injected clock; an abort ends the wait
        emit(deps.onEvent, clock.now(), { type: 'batch-delay', batch, delayMs: delay });
        const slept = await clock.sleep(delay, deps.signal).then(
          () => true,
          () => false,
        );
        if (!slept) return { completed, attempted, aborted: true };
      }
      first = false;
      if (deps.lock) {
        try {
          await deps.lock.verify();
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

/** The service's indexed instances the plan knows: left alone, created, replaced, spares, above N. */
function instancesOf(plan: Plan): string[] {
  const names = new Set(plan.unchanged);
  for (const s of plan.steps)
    if (s.role === 'instance' || s.role === 'surge' || s.role === 'extra' || s.role === 'canary')
      names.add(s.unit);
  return [...names];
}

/** The machine each instance was on when planned (replace and destroy steps name it). */
function machinesOf(plan: Plan): Map<string, string> {
  const machines = new Map<string, string>();
  for (const s of plan.steps) if (s.machineID) machines.set(s.unit, s.machineID);
  return machines;
}

/**
 * A spare whose create step did not finish (it failed, or never became running) adds no capacity:
 * destroy it so no orphan is left. Spares that run are kept (listed in `keptSpares`) when the
 * rollout stops early, since removing them could drop capacity below N.
 */
async function removeUnfinishedSpares(deps: ExecuteDeps, run: StepsRun): Promise<void> {
  const done = new Set(run.completed.map((s) => s.id));
  for (const step of run.attempted) {
    if (step.role !== 'surge' || step.action !== 'create' || done.has(step.id)) continue;
    await deps.api.destroyUnit(step.unit, { ignoreNotFound: true }).catch(() => {});
  }
}
