/** RolloutResult: what a rollout did. JSON-serialisable. */
import type { Clock } from '@fleet-service/fleet-client';
import { messageOf } from './errors.js';
import type { Plan, PlanStep } from './plan.js';

export type RolloutOutcome = 'succeeded' | 'unchanged' | 'rolled-back' | 'paused' | 'aborted' | 'failed';

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
  /** The hash the service was rolled to (or back to). */
  hash: string;
  /** Instances given new contents. */
  replaced: string[];
  /** Instances left alone. */
  unchanged: string[];
  /** Instances created (scale up). */
  added: string[];
  /** Units destroyed (indexes above N, `S.service`, non-indexed; not surge spares). */
  removed: string[];
  /** Surge spares still running because removing them would drop capacity below N (abort/pause only). */
  keptSpares: string[];
  durationMs: number;
  completedSteps: PlanStep[];
  error?: ResultError;
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
    replaced: [...done('replace', ['instance']), ...done('start', ['instance'])],
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
