/**
 * The canary part of a plan (pure): the new contents on `canary` extra indexes above every existing
 * one, beside the N serving instances — nothing is taken down, so capacity never drops. Without
 * `canaryAutoPromoteMs` the plan ends there (outcome `canary`; `promoteService` rolls the rest out).
 * With it, a `watch` step follows: the canaries must stay healthy that long, then the ordinary
 * rollout runs and removes the canary indexes last.
 *
 * A canary needs something to compare against: for a new service, or when nothing would be
 * replaced, it is left out with a note.
 */
import { instanceName } from './fleet-helpers.js';
import { type Plan, type PlanStep, STEP_REASONS } from './plan.js';
import type { ServiceView } from './snapshot.js';
import type { ResolvedSettings } from './spec.js';

type NewStep = Omit<PlanStep, 'id' | 'batch'>;

export interface CanaryPart {
  /** Batches to add first (the canaries, then the watch step when auto-promoting). */
  batches: NewStep[][];
  /** The plan's `canary`, when there is one. */
  plan?: NonNullable<Plan['canary']>;
  /** Canary indexes this plan creates (the rollout that follows removes them). */
  created: number[];
}

export function canarySteps(
  settings: ResolvedSettings,
  view: ServiceView,
  at: { service: string; N: number; newHash: string; notes: string[] },
): CanaryPart {
  const { service, N, newHash, notes } = at;
  const k = settings.canary;
  if (k <= 0) return { batches: [], created: [] };
  const serving = view.instances.filter((i) => i.index <= N);
  if (serving.length === 0) {
    notes.push('canary left out: the service runs no instance yet to compare it with');
    return { batches: [], created: [] };
  }
  if (!settings.force && serving.every((i) => i.hash === newHash)) {
    notes.push('canary left out: every instance already runs these contents');
    return { batches: [], created: [] };
  }
  // canaries kept from an earlier run (same contents, above N): counted, started if down
  const existing = view.instances.filter((i) => i.index > N && i.hash === newHash).slice(0, k);
  const highest = Math.max(N, view.instances.at(-1)?.index ?? 0);
  const created: number[] = [];
  for (let n = 1; n <= k - existing.length; n++) created.push(highest + n);
  const steps: NewStep[] = [
    ...existing
      .filter((i) => !i.running || i.desiredState !== 'launched')
      .map(
        (i): NewStep => ({
          action: 'start',
          role: 'canary',
          unit: i.name,
          index: i.index,
          reason: STEP_REASONS.canary,
          fromHash: i.hash,
          toHash: newHash,
          desiredState: 'launched',
          ...(i.machineID ? { machineID: i.machineID } : {}),
        }),
      ),
    ...created.map(
      (index): NewStep => ({
        action: 'create',
        role: 'canary',
        unit: instanceName(service, index),
        index,
        reason: STEP_REASONS.canary,
        toHash: newHash,
        desiredState: 'launched',
      }),
    ),
  ];
  const units = [...existing.map((i) => i.name), ...created.map((i) => instanceName(service, i))];
  const batches: NewStep[][] = [steps];
  const auto = settings.canaryAutoPromoteMs;
  if (auto !== undefined) {
    batches.push([
      {
        action: 'watch',
        role: 'canary',
        unit: units[0]!,
        reason: STEP_REASONS.canaryWatch,
        toHash: newHash,
        durationMs: auto,
        watchUnits: units,
      },
    ]);
  }
  return {
    batches: batches.filter((b) => b.length > 0),
    plan: { count: k, units, ...(auto !== undefined ? { autoPromoteMs: auto } : {}) },
    created,
  };
}
