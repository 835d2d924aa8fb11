/** planTeardown: pure. The steps that remove a whole service (destroyService; rollback of a fresh create). */
import { type Plan, type PlanStep, STEP_REASONS } from './plan.js';
import { recordUnitName } from './reserved-units.js';
import { type ClusterSnapshot, viewService } from './snapshot.js';
import type { ResolvedSettings } from './spec.js';

/**
 * A plan that removes a whole service: `planTeardown`'s steps with `settings` (timeouts, poll
 * interval), never rolled back (`onFailure: 'abort'`). Its `newHash` is '' (nothing is rolled out).
 */
export function teardownPlan(
  snapshot: ClusterSnapshot,
  settings: ResolvedSettings,
  opts: { batchSize?: number; includeRecord?: boolean; notes?: string[] } = {},
): Plan {
  const steps = planTeardown(snapshot, opts);
  return {
    service: snapshot.service,
    newHash: '',
    count: 0,
    unitFile: [],
    settings: { ...settings, onFailure: 'abort' },
    ...(snapshot.serverVersion ? { serverVersion: snapshot.serverVersion } : {}),
    steps,
    unchanged: [],
    summary: {
      create: 0,
      replace: 0,
      start: 0,
      unchanged: 0,
      remove: steps.length,
      surge: 0,
      canary: 0,
      templateChanged: false,
      batches: steps.at(-1)?.batch ?? 0,
    },
    notes: opts.notes ?? [],
  };
}

/**
 * Order: indexed instances highest first (one batch each, `batchSize` at a time), then non-indexed
 * instances and `S.service`, then the template, then (optionally) the engine's record unit.
 */
export function planTeardown(
  snapshot: ClusterSnapshot,
  opts: { batchSize?: number; includeRecord?: boolean } = {},
): PlanStep[] {
  const view = viewService(snapshot);
  const size = Math.max(1, opts.batchSize ?? 10);
  const steps: PlanStep[] = [];
  let batch = 0;
  const add = (list: Omit<PlanStep, 'id' | 'batch'>[]) => {
    if (list.length === 0) return;
    batch++;
    for (const s of list) steps.push({ id: steps.length + 1, batch, ...s });
  };
  const instances = [...view.instances].sort((a, b) => b.index - a.index);
  for (let k = 0; k < instances.length; k += size) {
    add(
      instances.slice(k, k + size).map((i) => ({
        action: 'destroy' as const,
        role: 'instance' as const,
        unit: i.name,
        index: i.index,
        reason: STEP_REASONS.teardown,
        fromHash: i.hash,
        ...(i.machineID ? { machineID: i.machineID } : {}),
      })),
    );
  }
  add([
    ...view.nonIndexed.map((u) => ({
      action: 'destroy' as const,
      role: 'non-indexed' as const,
      unit: u.name,
      reason: STEP_REASONS.teardown,
      fromHash: u.hash,
    })),
    ...(view.nonInstanced
      ? [
          {
            action: 'destroy' as const,
            role: 'non-instanced' as const,
            unit: view.nonInstanced.name,
            reason: STEP_REASONS.teardown,
            fromHash: view.nonInstanced.hash,
          },
        ]
      : []),
  ]);
  if (view.template) {
    add([
      {
        action: 'destroy',
        role: 'template',
        unit: view.template.name,
        reason: STEP_REASONS.teardown,
        fromHash: view.template.hash,
      },
    ]);
  }
  if (opts.includeRecord) {
    add([
      {
        action: 'destroy',
        role: 'record',
        unit: recordUnitName(snapshot.service),
        reason: STEP_REASONS.teardown,
      },
    ]);
  }
  return steps;
}
