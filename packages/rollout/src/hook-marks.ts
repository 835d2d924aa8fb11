/**
 * Where lifecycle hooks run, marked on the plan's steps (pure; `fs plan` shows it). The executor
 * runs them at the same places (step-runner.ts): `pre-stop` right before a take-down — a replace
 * of an instance, a destroy of an instance above N, a spare, a canary, `S.service` or a
 * non-indexed instance — and `post-start` once an instance runs the new contents and is healthy.
 */
import type { HookName, PlanStep, StepRole } from './plan.js';
import type { HookSettings } from './spec.js';

const SERVING: ReadonlySet<StepRole> = new Set(['instance', 'surge', 'canary']);
const TAKEN_DOWN: ReadonlySet<StepRole> = new Set([
  'instance',
  'surge',
  'canary',
  'extra',
  'non-instanced',
  'non-indexed',
]);

/** Does this step take an instance down (so `pre-stop` runs before it)? */
export function takesDown(step: Pick<PlanStep, 'action' | 'role'>): boolean {
  return (step.action === 'replace' || step.action === 'destroy') && TAKEN_DOWN.has(step.role);
}

/** Does this step bring an instance up with the new contents (so `post-start` runs after it)? */
export function bringsUp(step: Pick<PlanStep, 'action' | 'role'>): boolean {
  return (
    (step.action === 'create' || step.action === 'replace' || step.action === 'start') &&
    SERVING.has(step.role)
  );
}

/** Set each step's `hooks` (in place; the planner owns the steps). */
export function markHooks(steps: PlanStep[], hooks: HookSettings): void {
  if (!hooks.preStop && !hooks.postStart) return;
  for (const step of steps) {
    const names: HookName[] = [];
    if (hooks.preStop && takesDown(step)) names.push('pre-stop');
    if (hooks.postStart && bringsUp(step)) names.push('post-start');
    if (names.length > 0) step.hooks = names;
  }
}
