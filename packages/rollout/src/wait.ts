/**
 * The one waiting helper: poll until done, with an absolute deadline (`clock.now() + timeout`)
 * and the rollout's moving progress deadline, never a count of attempts. Transient fleet errors
 * during a poll are remembered as "last seen" and polled through.
 */
import type { Clock } from '@fleet-service/fleet-client';
import { ProgressDeadlineError, StateTimeoutError, type WaitPhase } from './errors.js';

/** A poll's answer. `nextAt`: when to poll next (clock ms) instead of the next point of the interval's grid. */
export type PollOutcome<T> = { done: true; value: T } | { done: false; seen: string; nextAt?: number };

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

/**
 * The first point of the clock's `step` grid after `t` (multiples of `step`). Waits poll on this
 * grid rather than one interval after their own start, so the polls of concurrent waits fall at
 * the same instants and shared reads answer them together (state-reads.ts). The gap between two
 * polls is still at most one interval (less only before the first grid point).
 */
export function nextOnGrid(t: number, step: number): number {
  return Math.floor(t / step) * step + step;
}

export async function waitUntil<T>(o: WaitOptions<T>): Promise<T> {
  const deadline = o.clock.now() + o.timeoutMs;
  let seen = 'nothing yet';
  for (;;) {
    o.signal?.throwIfAborted();
    // fixed rate, on the grid: the next poll is due at most one interval after this one started,
    // however long it took
    const pollStart = o.clock.now();
    let nextAt = nextOnGrid(pollStart, o.intervalMs);
    try {
      const r = await o.poll();
      if (r.done) return r.value;
      seen = r.seen;
      if (r.nextAt !== undefined) nextAt = r.nextAt;
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
      Math.max(1, Math.min(nextAt - now, deadline - now, progressDeadline - now)),
      o.signal,
    );
  }
}

/**
 * How long each kind of transition (`gone`, `launched`, `stop`, `active`) took so far in this
 * rollout, measured from the start of its wait. A wait for a transition seen before polls densely
 * (every quarter interval) around when it is due — from the shortest time seen to the longest
 * (at most two intervals later) — so the engine notices it within a fraction of the interval
 * rather than up to a whole one. Where skipping is allowed it also skips the polls before that
 * window, so the requests per wait stay about the same. Nothing is assumed before the first one.
 * A caller that asks for `denseFirst` gets every quarter interval for the wait's first 8
 * intervals, whatever was seen. The healthy wait asks it until `active` is first seen: the
 * stability window starts then, and fleet publishes states on a 1 s tick that can sit just after
 * the grid's points, so a poll every interval saw `active` up to ~1 s late on the real-fleet bed
 * (every first instance, and later ones whose wait began out of step with the window above).
 */
export class TransitionPace {
  readonly #seen = new Map<string, { min: number; max: number }>();

  /** A wait for `kind` saw its transition `ms` after it started (0: it was already there; ignored). */
  record(kind: string, ms: number): void {
    if (ms <= 0) return;
    const s = this.#seen.get(kind);
    this.#seen.set(kind, s ? { min: Math.min(s.min, ms), max: Math.max(s.max, ms) } : { min: ms, max: ms });
  }

  /**
   * When a wait for `kind` that started at `start` should poll after the poll that started at
   * `pollStart`: one interval later, or densely inside the window where the transition is due.
   * `skipAhead`: polls before the window may be skipped (not when a failure must be seen at once).
   * `denseFirst`: poll every quarter interval for the wait's first 8 intervals.
   */
  nextPoll(
    kind: string,
    start: number,
    pollStart: number,
    intervalMs: number,
    skipAhead: boolean,
    denseFirst = false,
  ): number {
    const regular = nextOnGrid(pollStart, intervalMs);
    const s = this.#seen.get(kind);
    const fine = Math.max(1, Math.round(intervalMs / 4));
    if (denseFirst && pollStart < start + 8 * intervalMs) return nextOnGrid(pollStart, fine);
    if (!s) return regular;
    const from = nextOnGrid(start + s.min - 2 * fine, fine);
    const to = start + Math.min(s.max, s.min + 2 * intervalMs) + fine;
    if (pollStart >= to) return regular;
    if (pollStart < from)
      return skipAhead
        ? Math.min(Math.max(from, nextOnGrid(pollStart, fine)), pollStart + 10 * intervalMs)
        : Math.min(regular, from);
    return nextOnGrid(pollStart, fine);
  }
}
