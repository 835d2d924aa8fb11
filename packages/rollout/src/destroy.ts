/**
 * destroyService: lock → observe → plan the teardown → runPlan. Removes instances highest first,
 * `S.service`, non-indexed instances, the template, then fs's record unit. A dry run plans without
 * the lock and writes nothing. A service without units of its own is NoSuchServiceError (fs's
 * stale record is still removed, silently); fs's own units are never listed as removed.
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '@fleet-service/fleet-client';
import { InvalidSpecError, NoSuchServiceError } from './errors.js';
import { emit, tagEvents } from './events.js';
import { validateServiceName } from './fleet-helpers.js';
import type { LockHandle } from './lock.js';
import { observeUnits } from './observe.js';
import type { PlanStep } from './plan.js';
import { recordUnitName } from './reserved-units.js';
import { lockService, type RolloutDeps } from './rollout.js';
import { failBeforeRun, runPlan } from './run-plan.js';
import { type RolloutSpec, resolveSettings } from './spec.js';
import { teardownPlan } from './teardown.js';

export interface DestroyResult {
  service: string;
  /** The service's units destroyed, in order (never fs's own record or lock unit). */
  removed: string[];
  durationMs: number;
  /** Every completed step, fs's record unit's removal included. */
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
  const rolloutId = deps.rolloutId ?? randomUUID();
  const onEvent = tagEvents(deps.onEvent, { service, rolloutId });
  const settings = resolveSettings({ service, unitFile: [], ...deps.spec });
  const planFor = (snapshot: Awaited<ReturnType<typeof observeUnits>>) =>
    teardownPlan(snapshot, settings, {
      batchSize: deps.batchSize ?? 10,
      includeRecord: true,
      notes: ['destroy'],
    });

  // before any write: a service with nothing at all is a typo, and a dry run takes no lock
  const first = await observeUnits(deps.api, service, deps.signal);
  if (first.units.length === 0 && !first.record && !first.lock) throw new NoSuchServiceError(service);
  if (deps.dryRun) {
    if (first.units.length === 0) throw new NoSuchServiceError(service);
    emit(onEvent, clock.now(), { type: 'plan', plan: planFor(first) });
    return { service, removed: [], durationMs: clock.now() - started, completedSteps: [] };
  }

  let lock: LockHandle | undefined;
  let snapshot: Awaited<ReturnType<typeof observeUnits>>;
  try {
    lock = await lockService(service, deps.spec?.lock, { ...deps, clock, rolloutId });
    snapshot = await observeUnits(deps.api, service, deps.signal);
    if (snapshot.units.length === 0) {
      // only fs's bookkeeping is left: remove the stale record quietly (the lock goes on release)
      if (snapshot.record) {
        await deps.api.destroyUnit(recordUnitName(service), { ignoreNotFound: true });
      }
      throw new NoSuchServiceError(service);
    }
  } catch (caught) {
    if (caught instanceof NoSuchServiceError) {
      await lock?.release();
      throw caught;
    }
    throw await failBeforeRun(caught, { service, signal: deps.signal, clock, started, onEvent, lock });
  }
  const result = await runPlan(planFor(snapshot), {
    ...deps,
    clock,
    lock,
    rolloutId,
    startedAt: started,
  });
  return {
    service,
    removed: result.completedSteps.filter((s) => s.role !== 'record').map((s) => s.unit),
    durationMs: clock.now() - started,
    completedSteps: result.completedSteps,
  };
}
