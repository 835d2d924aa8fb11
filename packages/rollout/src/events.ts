/** RolloutEvent: what happened, as frozen JSON-serialisable objects (the CLI renders or streams them as NDJSON). */
import type { Plan, PlanStep } from './plan.js';
import type { ResultError, RolloutResult } from './result.js';
import type { LockInfo } from './snapshot.js';

/** The systemd triple from `/state`. */
export interface SystemdView {
  load?: string;
  active?: string;
  sub?: string;
}

interface EventBase {
  /** Clock ms. */
  time: number;
}

export type RolloutEvent = EventBase &
  (
    | { type: 'plan'; plan: Plan }
    | {
        type: 'lock-acquired';
        service: string;
        lock: LockInfo;
        /** The lock that was there and was taken over, and why. */
        stolenFrom?: LockInfo;
        takeover?: 'expired' | 'steal' | 'holder-dead';
      }
    | { type: 'lock-refreshed'; service: string; expiry: number }
    | { type: 'lock-lost'; service: string; holder?: LockInfo }
    | { type: 'lock-released'; service: string }
    | { type: 'step-started'; step: PlanStep }
    | { type: 'step-finished'; step: PlanStep; durationMs: number; skipped?: boolean }
    | { type: 'step-failed'; step: PlanStep; durationMs: number; error: ResultError }
    | {
        type: 'state-observed';
        unit: string;
        desiredState?: string;
        currentState?: string;
        machineID?: string;
        systemd?: SystemdView;
        hash?: string;
      }
    | { type: 'instance-healthy'; unit: string; index: number; machineID: string }
    | {
        type: 'instance-failed';
        unit: string;
        index?: number;
        diagnosis: string;
        systemd?: SystemdView;
        machineID?: string;
      }
    | { type: 'rollback-started'; reason: string; toHash: string }
    | { type: 'abort-requested'; inFlight: string[] }
    | { type: 'done'; result: RolloutResult }
  );

export type RolloutEventType = RolloutEvent['type'];

/** Deep-freeze a JSON-like value (cloned first, so the engine's own objects stay mutable). */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Distributive Omit, so each union member keeps its own fields. */
export type EventInput = RolloutEvent extends infer E
  ? E extends RolloutEvent
    ? Omit<E, 'time'>
    : never
  : never;

/** Build, freeze and deliver an event. A throwing listener never breaks the rollout. */
export function emit(
  listener: ((e: RolloutEvent) => void) | undefined,
  time: number,
  event: EventInput,
): void {
  if (!listener) return;
  const full = frozenCopy({ ...event, time } as RolloutEvent);
  try {
    listener(full);
  } catch {
    // listeners are the caller's business
  }
}
