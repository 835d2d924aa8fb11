/**
 * The failure budget (`maxFailures`): an instance that fails to come up with the new contents —
 * systemd failed, a wait ran out, its post-start hook failed — is destroyed and created again, as
 * long as the rollout's budget lasts; only then does the failure policy apply. fleet has no option
 * to keep a unit off one machine without changing its contents, so the new instance goes where
 * fleet's scheduler puts it (another machine where one qualifies and the failed one is busier).
 */
import { HookFailedError, InstanceFailedError, ProgressDeadlineError, StateTimeoutError } from './errors.js';
import { emit } from './events.js';
import type { PlanStep } from './plan.js';
import { resultError } from './result.js';
import { runStep, type StepContext, type StepOutcome } from './step-runner.js';
import { waitGone } from './unit-watch.js';

/** How many failures the run has used of its budget. */
export interface FailureBudget {
  budget: number;
  used: number;
}

function retriable(step: PlanStep, error: unknown): boolean {
  if (step.action === 'destroy' || step.action === 'watch' || step.role === 'template') return false;
  if (error instanceof HookFailedError) return error.hook === 'post-start';
  return (
    error instanceof InstanceFailedError ||
    error instanceof StateTimeoutError ||
    error instanceof ProgressDeadlineError
  );
}

/** Run a step; while it fails in a way the budget covers, recreate its unit and try again. */
export async function runStepWithinBudget(
  ctx: StepContext,
  step: PlanStep,
  budget: FailureBudget,
): Promise<StepOutcome> {
  let current = step;
  for (;;) {
    try {
      return await runStep(ctx, current);
    } catch (error) {
      if (budget.used >= budget.budget || !retriable(step, error)) throw error;
      budget.used += 1;
      emit(ctx.onEvent, ctx.clock.now(), {
        type: 'instance-retried',
        unit: step.unit,
        failures: budget.used,
        budget: budget.budget,
        error: resultError(error),
      });
      await ctx.api.destroyUnit(step.unit, { signal: ctx.signal, ignoreNotFound: true });
      await waitGone(ctx, step.unit);
      const { fromHash: _from, mode: _mode, ...rest } = step;
      current = { ...rest, action: 'create' };
    }
  }
}
