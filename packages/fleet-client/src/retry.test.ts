import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, retryDelay, withRetries } from './retry.js';
import { RecordingClock } from './test-helpers/recording-clock.js';

describe('retryDelay', () => {
  it('grows by factor from initialDelay and is capped at maxDelay (defaults: 250, 500, 1000, 2000, 4000, 4000)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, DEFAULT_RETRY))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    expect(retryDelay(3, { limit: 9, initialDelay: 10, maxDelay: 1000, factor: 1 })).toBe(10);
  });
});

describe('isRetryable', () => {
  it('follows the policy and the delivery facts', () => {
    const cases = [
      ['idempotent', 'maybe-delivered', true],
      ['idempotent', 'processed', true],
      ['undelivered', 'not-delivered', true],
      ['undelivered', 'maybe-delivered', false],
      ['undelivered', 'processed', false],
      ['never', 'not-delivered', false],
    ] as const;
    for (const [policy, delivery, expected] of cases) {
      expect(isRetryable(policy, { transient: true, delivery })).toBe(expected);
    }
    expect(isRetryable('idempotent', { transient: false, delivery: 'not-delivered' })).toBe(false);
  });
});

describe('withRetries', () => {
  const retry = { limit: 2, initialDelay: 5, maxDelay: 100, factor: 3 };

  it('stops when shouldRetry says no, and returns the value', async () => {
    const clock = new RecordingClock();
    const seen: number[] = [];
    const value = await withRetries(
      async (n) => {
        seen.push(n);
        return n;
      },
      {
        retry,
        clock,
        shouldRetry: (outcome) => outcome.ok && outcome.value < 2,
      },
    );
    expect(value).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([5]);
  });

  it('rethrows the last error once the budget is spent', async () => {
    const clock = new RecordingClock();
    let n = 0;
    await expect(
      withRetries(
        async () => {
          n++;
          throw new Error(`boom ${n}`);
        },
        { retry, clock, shouldRetry: () => true },
      ),
    ).rejects.toThrow('boom 3');
    expect(clock.sleeps).toEqual([5, 15]);
  });

  it('rejects with the signal’s reason if aborted between attempts', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const clock = new RecordingClock();
    const result = withRetries(
      async () => {
        controller.abort(reason);
        return 1;
      },
      { retry, clock, signal: controller.signal, shouldRetry: () => true },
    );
    await expect(result).rejects.toBe(reason);
    expect(clock.sleeps).toEqual([]);
  });
});
