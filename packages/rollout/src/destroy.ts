/** destroyService: remove a service — instances highest first, `S.service`, non-indexed instances, template, record. */
import { systemClock } from '@fleet-service/fleet-client';
import { InvalidSpecError } from './errors.js';
import { executeInternal } from './executor.js';
import { validateServiceName } from './fleet-helpers.js';
import { observeCluster } from './observe.js';
import type { Plan, PlanStep } from './plan.js';
import { lockFor, type RolloutDeps } from './rollout.js';
import { type RolloutSpec, resolveSettings } from './spec.js';
import { planTeardown } from './teardown.js';

export interface DestroyResult {
  service: string;
  /** Units destroyed, in order. */
  removed: string[];
  durationMs: number;
  completedSteps: PlanStep[];
}

export interface DestroyOptions {
  /** Units destroyed at once. @default 10 */
  batchSize?: number;
  /** Lock, timeouts and poll interval as for a rollout. */
  spec?: Partial<Pick<RolloutSpec, 'lock' | 'timeouts' | 'pollIntervalMs' | 'progressDeadlineMs'>>;
}

export async function destroyService(
  service: string,
  deps: RolloutDeps & DestroyOptions,
): Promise<DestroyResult> {
  const problem = validateServiceName(service);
  if (problem) throw new InvalidSpecError([{ field: 'service', message: problem, kind: 'invalid' }]);
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const lock = await lockFor({ service, ...(deps.spec?.lock ? { lock: deps.spec.lock } : {}) }, deps, clock);
  try {
    const snapshot = await observeCluster(deps.api, service, { machines: false });
    const steps = planTeardown(snapshot, { batchSize: deps.batchSize ?? 10, includeRecord: true });
    const settings = resolveSettings({ service, unitFile: [], ...deps.spec });
    const plan: Plan = {
      service,
      newHash: '',
      count: 0,
      unitFile: [],
      settings: { ...settings, onFailure: 'abort' },
      steps,
      unchanged: [],
      summary: {
        create: 0,
        replace: 0,
        start: 0,
        unchanged: 0,
        remove: steps.length,
        surge: 0,
        templateChanged: false,
        batches: steps.at(-1)?.batch ?? 0,
      },
      notes: ['destroy'],
    };
    if (deps.dryRun) return { service, removed: [], durationMs: 0, completedSteps: [] };
    const result = await executeInternal(plan, deps, { lock, startedAt: started, allowRollback: false });
    return {
      service,
      removed: result.completedSteps.map((s) => s.unit),
      durationMs: clock.now() - started,
      completedSteps: result.completedSteps,
    };
  } finally {
    await lock.release();
  }
}
