/** RolloutResult: what a rollout did. JSON-serialisable. */
import type { Clock } from '@fleet-service/fleet-client';
import { messageOf } from './errors.js';
import type { Plan, PlanStep } from './plan.js';

export type RolloutOutcome =
  | 'succeeded'
  | 'unchanged'
  | 'canary'
  | 'rolled-back'
  | 'rollback-failed'
  | 'paused'
  | 'aborted'
  | 'failed';

/** A JSON form of the error that ended a rollout. */
export interface ResultError {
  name: string;
  code?: string;
  message: string;
  unit?: string;
}

export interface RolloutResult {
  service: string;
  outcome: RolloutOutcome;
  /**
   * The hash the service was rolled to; after an automatic rollback (`rolled-back`,
   * `rollback-failed`) the hash it was rolled back to ('' when a new service was torn down).
   */
  hash: string;
  /**
   * Instances the rollout gave its new contents (replaced, or started with them). After an
   * automatic rollback these are still the ones the failed rollout replaced: an instance replaced
   * and then rolled back is listed here AND in `rolledBack`.
   */
  replaced: string[];
  /**
   * Only after an automatic rollback: instances the rollback gave the previous contents back
   * (replaced or started again). Torn-down instances of a new service are in `removed`.
   */
  rolledBack?: string[];
  /** Instances left alone. */
  unchanged: string[];
  /** Instances created (scale up). */
  added: string[];
  /** Units destroyed (indexes above N, `S.service`, non-indexed; not surge spares). */
  removed: string[];
  /** Surge spares still running because removing them would drop capacity below N (abort/pause only). */
  keptSpares: string[];
  durationMs: number;
  /** Steps completed, in order: the rollout's, then (after a failure) the rollback's. */
  completedSteps: PlanStep[];
  /** What ended the rollout (for `rollback-failed`: the rollout's failure, see `rollbackError`). */
  error?: ResultError;
  /** Only for `rollback-failed`: why the rollback failed. */
  rollbackError?: ResultError;
  /** Outcome `canary`: the canary instances now running the new contents beside the others. */
  canaries?: string[];
}

/** The JSON form of an error. */
export function resultError(error: unknown): ResultError {
  const e = error as { name?: string; code?: string; message?: string; unit?: string };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: messageOf(error),
    ...(typeof e?.unit === 'string' ? { unit: e.unit } : {}),
  };
}

/** Attach the result to an error (non-enumerable `result`) and return it. */
export function withResult<E>(error: E, result: RolloutResult): E {
  if (error && typeof error === 'object') {
    Object.defineProperty(error, 'result', {
      value: result,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

/** The result of a run that changed nothing (a dry run, or a failure before any step). */
export function emptyResult(
  service: string,
  outcome: RolloutOutcome,
  started: number,
  clock: Clock,
  fields: { hash?: string; unchanged?: string[]; error?: unknown } = {},
): RolloutResult {
  const result: RolloutResult = {
    service,
    outcome,
    hash: fields.hash ?? '',
    replaced: [],
    unchanged: fields.unchanged ?? [],
    added: [],
    removed: [],
    keptSpares: [],
    durationMs: clock.now() - started,
    completedSteps: [],
  };
  if (fields.error !== undefined) result.error = resultError(fields.error);
  return result;
}

/** Instances the completed steps gave their plan's contents: replaced or started (not created). */
export function replacedBy(completed: readonly PlanStep[]): string[] {
  const of = (action: PlanStep['action']) =>
    completed.filter((s) => s.role === 'instance' && s.action === action).map((s) => s.unit);
  return [...of('replace'), ...of('start')];
}

/** Summarise what the completed steps did. */
export function buildResult(
  plan: Plan,
  outcome: RolloutOutcome,
  completed: PlanStep[],
  started: number,
  clock: Clock,
  error?: unknown,
): RolloutResult {
  const done = (action: PlanStep['action'], roles: PlanStep['role'][]) =>
    completed.filter((s) => s.action === action && roles.includes(s.role)).map((s) => s.unit);
  const sparesUp = new Set(done('create', ['surge']));
  for (const u of done('destroy', ['surge', 'extra', 'instance'])) sparesUp.delete(u);
  const result: RolloutResult = {
    service: plan.service,
    outcome,
    hash: plan.newHash,
    replaced: replacedBy(completed),
    unchanged: [...plan.unchanged],
    added: done('create', ['instance']),
    removed: done('destroy', ['extra', 'non-instanced', 'non-indexed', 'instance']),
    keptSpares: [...sparesUp],
    durationMs: clock.now() - started,
    completedSteps: completed,
  };
  if (error !== undefined) result.error = resultError(error);
  return result;
}
