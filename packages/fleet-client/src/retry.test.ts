import { describe, expect, it } from 'vitest';
import { isRetryable, withRetries } from './retry.js';
import { DEFAULT_RETRY, type ResolvedRetryOptions, retryDelay } from './retry-options.js';
import { RecordingClock, StuckClock } from './test-helpers/recording-clock.js';

describe('retryDelay', () => {
  it('grows by factor from initialDelay and is capped at maxDelay (defaults: 250, 500, 1000, 2000, 4000, 4000)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, DEFAULT_RETRY))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    expect(retryDelay(3, { ...DEFAULT_RETRY, initialDelay: 10, maxDelay: 1000, factor: 1 })).toBe(10);
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

describe('withRetries (p-retry, bounded by time on the injected clock)', () => {
  const retry: ResolvedRetryOptions = { ...DEFAULT_RETRY, initialDelay: 5, maxDelay: 100, factor: 3 };

  it('stops when shouldRetry says no, and returns the value', async () => {
    const clock = new RecordingClock();
    const seen: number[] = [];
    const value = await withRetries<number>(
      async (n) => {
        seen.push(n);
        return n;
      },
      { retry, clock, budget: () => 1000, shouldRetry: (outcome) => outcome.ok && outcome.value < 2 },
    );
    expect(value).toBe(2);
    expect(seen).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([5]);
  });

  it('retries until the time budget is spent (not a count), the last wait cut at the deadline, then rethrows', async () => {
    const clock = new RecordingClock();
    let n = 0;
    const error = await withRetries(
      async () => {
        n++;
        throw new Error(`boom ${n}`);
      },
      { retry, clock, budget: () => 250, shouldRetry: () => true },
    ).catch((e: unknown) => e);
    // 5, 15, 45 (t=65), then 100 would end past 250: 100 (t=165), then only 85 is left.
    expect(clock.sleeps).toEqual([5, 15, 45, 100, 85]);
    expect(clock.now()).toBe(250);
    expect((error as Error).message).toBe('boom 6');
  });

  it('counts the attempts’ own time against the budget', async () => {
    const clock = new RecordingClock();
    let n = 0;
    await expect(
      withRetries(
        async () => {
          n++;
          await clock.sleep(100); // an attempt that takes 100 ms of clock time
          throw new Error('slow failure');
        },
        { retry, clock, budget: () => 250, shouldRetry: () => true },
      ),
    ).rejects.toThrow('slow failure');
    // t=100 fail, wait 5; t=205 fail, wait 15 → t=220; t=320 fail: past the deadline.
    expect(n).toBe(3);
  });

  it('reads the budget after each attempt (it may grow during the call)', async () => {
    const clock = new RecordingClock();
    let budget = 0;
    let n = 0;
    const value = await withRetries<number>(
      async () => {
        n++;
        budget = 1000; // e.g. the first attempt got a response: the full budget applies now
        return n;
      },
      { retry, clock, budget: () => budget, shouldRetry: (o) => o.ok && o.value < 3 },
    );
    expect(value).toBe(3);
  });

  it('a budget of 0 makes one attempt', async () => {
    const clock = new RecordingClock();
    let n = 0;
    await expect(
      withRetries(
        async () => {
          n++;
          throw new Error('no');
        },
        { retry, clock, budget: () => 0, shouldRetry: () => true },
      ),
    ).rejects.toThrow('no');
    expect(n).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retry.limit caps the retries on top of the budget', async () => {
    const clock = new RecordingClock();
    let n = 0;
    await expect(
      withRetries(
        async () => {
          n++;
          throw new Error(`boom ${n}`);
        },
        { retry: { ...retry, limit: 2 }, clock, budget: () => 1e9, shouldRetry: () => true },
      ),
    ).rejects.toThrow('boom 3');
    expect(clock.sleeps).toEqual([5, 15]);
  });

  it('rethrows a non-Error failure as it is (not p-retry’s TypeError)', async () => {
    const clock = new RecordingClock();
    const thrown = { not: 'an error' };
    await expect(
      withRetries(
        async () => {
          throw thrown;
        },
        { retry, clock, budget: () => 1000, shouldRetry: () => false },
      ),
    ).rejects.toBe(thrown);
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
      { retry, clock, signal: controller.signal, budget: () => 1000, shouldRetry: () => true },
    );
    await expect(result).rejects.toBe(reason);
    expect(clock.sleeps).toEqual([]);
  });

  it('an abort during the backoff wait rejects with the signal’s reason, even a non-Error one', async () => {
    const controller = new AbortController();
    const clock = new StuckClock();
    let n = 0;
    const result = withRetries(
      async () => {
        n++;
        throw new Error('fail');
      },
      { retry, clock, signal: controller.signal, budget: () => 1000, shouldRetry: () => true },
    );
    await expect.poll(() => clock.sleeps.length).toBe(1);
    controller.abort('a string reason');
    await expect(result).rejects.toBe('a string reason');
    expect(n).toBe(1);
  });
});
