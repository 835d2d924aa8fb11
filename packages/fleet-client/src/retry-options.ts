import { fail, number } from './option-checks.js';

/**
 * How long, and how often, a call is retried after transient failures. Retries are bounded by
 * time, not by a count of attempts: no retry starts once `maxRetryTime` has passed since the
 * call's first attempt began.
 */
export interface RetryOptions {
  /**
   * Time budget, in milliseconds, for retrying one call: long enough to ride out fleetd restarting
   * or losing etcd for a while. `0` disables retrying.
   * @default 20000
   */
  maxRetryTime?: number;
  /**
   * Time budget, in milliseconds, used instead of `maxRetryTime` while the client has never had an
   * HTTP response from its endpoint. Nothing answering at all, at the first contact, is most often
   * a wrong endpoint, and a command line should say so at once rather than after 20 s. Once any
   * response has come, `maxRetryTime` applies (also to the rest of the call that got it).
   * @default 2000
   */
  firstContactTime?: number;
  /** Delay before the first retry, in milliseconds. @default 250 */
  initialDelay?: number;
  /** Upper bound for any single delay, in milliseconds. @default 4000 */
  maxDelay?: number;
  /** Each delay is the previous one times this factor (≥ 1). @default 2 */
  factor?: number;
  /**
   * Optional cap on the number of retries after the first attempt, on top of the time budget
   * (`0` disables retrying). Prefer `maxRetryTime`.
   * @default undefined (no cap: only the time budget bounds retrying)
   */
  limit?: number;
}

export interface ResolvedRetryOptions {
  readonly maxRetryTime: number;
  readonly firstContactTime: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly limit: number | undefined;
}

export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  maxRetryTime: 20_000,
  firstContactTime: 2_000,
  initialDelay: 250,
  maxDelay: 4000,
  factor: 2,
  limit: undefined,
});

/**
 * Delay before retry number `retry` (1 = the first retry): `initialDelay × factor^(retry-1)`,
 * capped at `maxDelay`. No jitter, so tests and logs are predictable.
 *
 * Worked example with the defaults: 250, 500, 1000, 2000, 4000, 4000, … ms. In the 20 s budget,
 * with attempts that fail at once, retries start at 0.25, 0.75, 1.75, 3.75, 7.75, 11.75, 15.75,
 * 19.75 and (the last wait cut to what is left) 20 s: 10 attempts at most. Slower attempts use
 * up the budget too, so there are fewer.
 */
export function retryDelay(retry: number, options: ResolvedRetryOptions): number {
  const delay = options.initialDelay * options.factor ** Math.max(0, retry - 1);
  return Math.min(options.maxDelay, delay);
}

/** Validates `retry` once and fills in the defaults. @throws InvalidClientOptionsError naming the option. */
export function resolveRetryOptions(input: RetryOptions | undefined): ResolvedRetryOptions {
  const given = input ?? {};
  if (typeof given !== 'object' || given === null) fail('retry', 'expected an object');
  const ms = (key: 'maxRetryTime' | 'firstContactTime' | 'initialDelay' | 'maxDelay') =>
    number(`retry.${key}`, given[key], DEFAULT_RETRY[key], { min: 0 });
  const retry: ResolvedRetryOptions = Object.freeze({
    maxRetryTime: ms('maxRetryTime'),
    firstContactTime: ms('firstContactTime'),
    initialDelay: ms('initialDelay'),
    maxDelay: ms('maxDelay'),
    factor: number('retry.factor', given.factor, DEFAULT_RETRY.factor, { min: 1 }),
    limit:
      given.limit === undefined
        ? undefined
        : number('retry.limit', given.limit, 0, { min: 0, integer: true }),
  });
  if (retry.maxDelay < retry.initialDelay) {
    fail(
      'retry.maxDelay',
      `must be at least retry.initialDelay (${retry.initialDelay}), got ${retry.maxDelay}`,
    );
  }
  return retry;
}
