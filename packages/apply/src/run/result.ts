/** What an apply did: every service's outcome, and the events it emits. */
import type { FailureClass, ResultError, RolloutEvent, RolloutResult } from '@fleet-service/rollout';
import type { ApplyPlan, ServiceAction } from '../plan/apply-plan.js';

/**
 * How one service ended: the engine's outcome (`succeeded`, `unchanged`, `rolled-back`, …), or
 * `removed` (pruned), `left-alone` (missing from the file, not removed), `skipped` (not started:
 * `failFast` after another service failed, or drift only reported), `failed` (before its plan ran:
 * lock, observe).
 */
export type ServiceOutcomeKind =
  | RolloutResult['outcome']
  | 'removed'
  | 'left-alone'
  | 'skipped'
  | 'drift-reported';

export interface ServiceOutcome {
  service: string;
  action: ServiceAction;
  outcome: ServiceOutcomeKind;
  /** The engine's result for the service (its sidekick's in `sidekick`). */
  result?: RolloutResult;
  sidekick?: RolloutResult;
  /** Why it failed (code, message, unit). */
  error?: ResultError;
  /** The failure's class (the engine's classification); absent on success. */
  failureClass?: FailureClass;
  /** Units that differed from the file although the file did not change (watch mode). */
  drifted?: string[];
  durationMs: number;
}

export interface ApplyResult {
  /** Every service ran as planned (or there was nothing to do). */
  ok: boolean;
  dryRun: boolean;
  plan: ApplyPlan;
  services: ServiceOutcome[];
  /** The class that decides the exit code: the worst among the services (see APPLY_CLASS_PRECEDENCE). */
  failureClass?: FailureClass;
  durationMs: number;
}

interface ApplyEventBase {
  time: number;
}

/** Apply's own lifecycle events (the engine's RolloutEvents come in the same stream, tagged with their service). */
export type ApplyLifecycleEvent = ApplyEventBase &
  (
    | { type: 'apply-plan'; plan: ApplyPlan }
    | { type: 'service-started'; service: string; action: ServiceAction }
    | { type: 'service-finished'; service: string; outcome: ServiceOutcome }
    | { type: 'apply-done'; result: ApplyResult }
    | { type: 'drift'; service: string; units: string[]; reverted: boolean }
    | {
        type: 'watch-run';
        run: number;
        changed: boolean;
        sourceUnchanged: boolean;
        ok: boolean;
        nextAt: number;
      }
    | { type: 'watch-error'; run: number; error: ResultError; retryInMs: number }
  );

export type ApplyEvent = RolloutEvent | ApplyLifecycleEvent;
export type ApplyEventListener = (event: ApplyEvent) => void;

/** The parts of an error a result keeps (name, code, message, unit): never the bulky rest. */
export function errorSummary(error: unknown): ResultError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; unit?: unknown } | undefined;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.unit === 'string' ? { unit: e.unit } : {}),
  };
}
