import pRetry from 'p-retry';
import type { Clock } from './clock.js';
import { type ResolvedRetryOptions, retryDelay } from './retry-options.js';

/**
 * Which failures a request may be retried after.
 * - `idempotent`: every transient failure (GET, DELETE, PUT of a desiredState).
 * - `undelivered`: only failures where fleet certainly did not act on the request: the connection
 *   was never made (refused, socket missing, DNS) or fleetd answered 503 (it is not serving).
 *   Used for PUT with options: after a lost response a retry would see 204/409 and misreport.
 * - `never`: PATCH /machines.
 */
export type RetryPolicy = 'idempotent' | 'undelivered' | 'never';

/** How far a failed attempt got, which decides whether a retry is safe. */
export type Delivery = 'not-delivered' | 'maybe-delivered' | 'processed';

/** What the retry decision needs to know about one failed attempt. */
export interface FailureFacts {
  /** Trying again may succeed. */
  transient: boolean;
  /** Whether fleet may have acted on the request. */
  delivery: Delivery;
}

/** Is a retry allowed for this failure under this policy? (The time budget is checked separately.) */
export function isRetryable(policy: RetryPolicy, failure: FailureFacts): boolean {
  if (!failure.transient) return false;
  switch (policy) {
    case 'idempotent':
      return true;
    case 'undelivered':
      return failure.delivery === 'not-delivered';
    case 'never':
      return false;
  }
}

/** Outcome of one attempt as the retry loop sees it. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RetryLoopOptions<T> {
  retry: ResolvedRetryOptions;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /**
   * The time budget in milliseconds, measured on `clock` from the start of the first attempt.
   * Read after each failed attempt, so it may change during the call.
   */
  budget(): number;
  /** Decides, per outcome, whether another attempt is wanted (a resolved value can be a 503). */
  shouldRetry(outcome: AttemptOutcome<T>, attempt: number): boolean;
}

/** Carries an attempt's outcome through p-retry, which retries only on a rejection. */
class AttemptEnded<T> extends Error {
  constructor(
    readonly outcome: AttemptOutcome<T>,
    readonly wanted: boolean,
  ) {
    super('attempt ended');
  }
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … on p-retry until `shouldRetry` says no or the time budget
 * is spent. p-retry has no built-in delay here (`minTimeout: 0`) and no wall-clock budget: the
 * deadline is checked against `clock.now()` and the backoff slept with `clock.sleep`, so tests
 * drive time by hand. A wait is cut short at the deadline, so the last retry starts at the latest
 * when the budget ends. Resolves with the last value or rethrows the last error; an abort rejects
 * with the signal's reason.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryLoopOptions<T>,
): Promise<T> {
  const { clock, signal, retry } = options;
  const start = clock.now();
  try {
    return await pRetry(
      async (attemptNumber) => {
        let outcome: AttemptOutcome<T>;
        try {
          outcome = { ok: true, value: await attempt(attemptNumber) };
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          outcome = { ok: false, error };
        }
        if (options.shouldRetry(outcome, attemptNumber)) throw new AttemptEnded(outcome, true);
        if (outcome.ok) return outcome.value;
        throw new AttemptEnded(outcome, false);
      },
      {
        retries: retry.limit ?? Number.POSITIVE_INFINITY,
        minTimeout: 0,
        maxTimeout: 0,
        ...(signal === undefined ? {} : { signal }),
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!(error instanceof AttemptEnded) || !error.wanted) return false;
          const remaining = start + options.budget() - clock.now();
          if (remaining <= 0) return false;
          await clock.sleep(Math.min(retryDelay(retriesConsumed + 1, retry), remaining), signal);
          return true;
        },
      },
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof AttemptEnded) {
      const { outcome } = error as AttemptEnded<T>;
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    throw error;
  }
}
