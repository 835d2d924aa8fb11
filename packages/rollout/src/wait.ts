/**
 * The one waiting helper: poll until done, with an absolute deadline (`clock.now() + timeout`)
 * and the rollout's moving progress deadline, never a count of attempts. Transient fleet errors
 * during a poll are remembered as "last seen" and polled through.
 */
import type { Clock } from '@fleet-service/fleet-client';
import { ProgressDeadlineError, StateTimeoutError, type WaitPhase } from './errors.js';

export type PollOutcome<T> = { done: true; value: T } | { done: false; seen: string };

/** The rollout-wide progress deadline: no step finished for `ms` → fail. */
export interface ProgressClock {
  /** Clock ms of the last progress (a finished step). */
  lastProgress: number;
  ms: number;
}

export interface WaitOptions<T> {
  clock: Clock;
  signal?: AbortSignal;
  intervalMs: number;
  unit: string;
  phase: WaitPhase;
  /** Human words for the state waited for, e.g. "launched with a machine". */
  waitedFor: string;
  timeoutMs: number;
  progress?: ProgressClock;
  poll: () => Promise<PollOutcome<T>>;
  /** Called once on timeout to explain why (e.g. unschedulable). */
  diagnose?: (lastSeen: string) => Promise<string | undefined>;
}

/** Is this error worth polling through (fleet 5xx, reset, timeout, unreachable)? */
export function isTransient(error: unknown): boolean {
  return error instanceof Error && (error as { transient?: unknown }).transient === true;
}

export async function waitUntil<T>(o: WaitOptions<T>): Promise<T> {
  const deadline = o.clock.now() + o.timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    o.signal?.throwIfAborted();
    try {
      const r = await o.poll();
      if (r.done) return r.value;
      seen = r.seen;
    } catch (error) {
      if (!isTransient(error)) throw error;
      seen = `${seen} (then a fleet error: ${error instanceof Error ? error.message : String(error)})`;
    }
    const now = o.clock.now();
    const progressDeadline = o.progress ? o.progress.lastProgress + o.progress.ms : Number.POSITIVE_INFINITY;
    if (now >= progressDeadline && progressDeadline < deadline && o.progress) {
      throw new ProgressDeadlineError({
        unit: o.unit,
        waitedFor: o.waitedFor,
        lastSeen: seen,
        progressDeadlineMs: o.progress.ms,
      });
    }
    if (now >= deadline) {
      const diagnosis = o.diagnose ? await o.diagnose(seen).catch(() => undefined) : undefined;
      throw new StateTimeoutError({
        unit: o.unit,
        phase: o.phase,
        waitedFor: o.waitedFor,
        lastSeen: seen,
        timeoutMs: o.timeoutMs,
        ...(diagnosis ? { diagnosis } : {}),
      });
    }
    await o.clock.sleep(
      Math.max(1, Math.min(o.intervalMs, deadline - now, progressDeadline - now)),
      o.signal,
    );
  }
}

/** Retry a single fleet call on transient errors (bounded, backoff on the clock). Calls must be idempotent. */
export async function retryTransient<T>(
  clock: Clock,
  fn: () => Promise<T>,
  signal?: AbortSignal,
  attempts = 6,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error) || attempt >= attempts) throw error;
      await clock.sleep(Math.min(250 * 2 ** attempt, 8_000), signal);
    }
  }
}
