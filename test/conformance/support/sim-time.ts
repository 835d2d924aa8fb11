/**
 * Driving a sim's ManualClock from a test: time moves in small steps and the test looks at the
 * cluster (over HTTP) between steps, like fleet's functional tests poll every 250 ms.
 */
import type { ManualClock } from '@fleet-service/fleet-sim';

/** What a probe returns while the awaited condition does not hold yet. */
export type NotYet = undefined | null | false | '' | 0;

export interface AdvanceOptions {
  /** What is awaited, for the timeout message. */
  what: string;
  /** Simulated milliseconds per step. @default 250 */
  stepMs?: number;
  /** Give up after this much simulated time. @default 60000 */
  maxMs?: number;
}

/**
 * Advance `clock` step by step until `probe` returns something truthy, and return it.
 * Throws (naming `what` and the last value seen) when `maxMs` of simulated time pass first.
 */
export async function advanceUntil<T>(
  clock: ManualClock,
  probe: () => Promise<T | NotYet>,
  { what, stepMs = 250, maxMs = 60_000 }: AdvanceOptions,
): Promise<T> {
  const start = clock.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (clock.now() - start >= maxMs) {
      throw new Error(
        `no ${what} within ${maxMs} ms of simulated time (last probe: ${JSON.stringify(value)})`,
      );
    }
    await clock.advance(stepMs);
  }
}

/** Advance `clock` by `ms` in steps (so timers due on the way fire in order). */
export async function advanceBy(clock: ManualClock, ms: number, stepMs = 500): Promise<void> {
  for (let left = ms; left > 0; left -= stepMs) await clock.advance(Math.min(stepMs, left));
}

/** Advance for `ms`, checking `invariant` after every step; returns how many steps held. */
export async function holdsFor(
  clock: ManualClock,
  ms: number,
  invariant: () => Promise<void>,
  stepMs = 500,
): Promise<number> {
  let steps = 0;
  for (let left = ms; left > 0; left -= stepMs) {
    await clock.advance(Math.min(stepMs, left));
    await invariant();
    steps++;
  }
  return steps;
}
