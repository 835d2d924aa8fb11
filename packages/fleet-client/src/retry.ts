import type { Clock } from './clock.js';

/** Backoff settings for retrying transient failures of idempotent requests. */
export interface RetryOptions {
  /** Retries after the first attempt (so `limit + 1` attempts at most); `0` disables retrying. @default 3 */
  limit?: number;
  /** Delay before the first retry, in milliseconds. @default 250 */
  initialDelay?: number;
  /** Upper bound for any single delay, in milliseconds. @default 4000 */
  maxDelay?: number;
  /** Each delay is the previous one times this factor (≥ 1). @default 2 */
  factor?: number;
}

export type ResolvedRetryOptions = Readonly<Required<RetryOptions>>;

export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  limit: 3,
  initialDelay: 250,
  maxDelay: 4000,
  factor: 2,
});

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

/** Is a retry allowed for this failure under this policy? (The attempt budget is checked separately.) */
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

/**
 * Delay before retry number `retry` (1 = the first retry): `initialDelay × factor^(retry-1)`,
 * capped at `maxDelay`. No jitter, so tests and logs are predictable.
 *
 * Worked example with the defaults: 250, 500, 1000 ms (then 2000, 4000, 4000, …).
 */
export function retryDelay(retry: number, options: ResolvedRetryOptions): number {
  const delay = options.initialDelay * options.factor ** Math.max(0, retry - 1);
  return Math.min(options.maxDelay, delay);
}

/** Outcome of one attempt as the retry loop sees it. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface RetryLoopOptions<T> {
  retry: ResolvedRetryOptions;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** Decides, per outcome, whether another attempt is wanted (a resolved value can be a 503). */
  shouldRetry(outcome: AttemptOutcome<T>, attempt: number): boolean;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … until `shouldRetry` says no or the budget (`retry.limit`) is
 * spent, waiting `retryDelay` between attempts through the injected clock. Resolves with the last
 * value or rethrows the last error. An abort during a wait rejects with the signal's reason.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryLoopOptions<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    let outcome: AttemptOutcome<T>;
    try {
      outcome = { ok: true, value: await attempt(attemptNumber) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const more = attemptNumber <= options.retry.limit && options.shouldRetry(outcome, attemptNumber);
    if (!more) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    options.signal?.throwIfAborted();
    await options.clock.sleep(retryDelay(attemptNumber, options.retry), options.signal);
  }
}
