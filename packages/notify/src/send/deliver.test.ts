import { describe, expect, it } from 'vitest';
import { NOTIFY_ERROR_CODES, NotifyDeliveryError } from '../errors.js';
import { deliver, type NotifyClock } from './deliver.js';

/** A clock that moves only when told; `advance` fires due sleepers in order. */
class TestClock implements NotifyClock {
  time = 0;
  sleepers: Array<{ due: number; resolve: () => void }> = [];
  now() {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const s = { due: this.time + ms, resolve };
      this.sleepers.push(s);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((x) => x !== s);
        reject(signal.reason);
      });
    });
  }
  async advance(ms: number) {
    const target = this.time + ms;
    for (;;) {
      await flush();
      const next = this.sleepers.filter((s) => s.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.time = next.due;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.time = target;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const retryable = () =>
  new NotifyDeliveryError('t', NOTIFY_ERROR_CODES.http, 'HTTP 503', { status: 503, retryable: true });
const fatal = () =>
  new NotifyDeliveryError('t', NOTIFY_ERROR_CODES.http, 'HTTP 404', { status: 404, retryable: false });

describe('deliver', () => {
  it('retries what another attempt could fix, with a doubling delay on the clock', async () => {
    const clock = new TestClock();
    let calls = 0;
    const sent = deliver(
      't',
      async () => {
        calls++;
        if (calls < 3) throw retryable();
      },
      { timeoutMs: 10_000, retries: 2, retryDelayMs: 100, clock },
    );
    await clock.advance(99);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    await clock.advance(199);
    expect(calls).toBe(2);
    await clock.advance(1);
    expect(await sent).toEqual({ ok: true, attempts: 3, durationMs: 300 });
    expect(clock.sleepers).toEqual([]); // the deadline timer is gone
  });

  it('stops at once on a failure retrying cannot fix, and after the last retry', async () => {
    const clock = new TestClock();
    const once = await deliver('t', async () => Promise.reject(fatal()), {
      timeoutMs: 1_000,
      retries: 5,
      retryDelayMs: 0,
      clock,
    });
    expect(once).toMatchObject({ ok: false, attempts: 1, error: { status: 404 } });
    const sent = deliver('t', async () => Promise.reject(retryable()), {
      timeoutMs: 1_000,
      retries: 2,
      retryDelayMs: 10,
      clock,
    });
    await clock.advance(30);
    expect(await sent).toMatchObject({ ok: false, attempts: 3, error: { status: 503 } });
  });

  it('abandons an attempt that never ends at the deadline, aborting its signal', async () => {
    const clock = new TestClock();
    let attemptSignal: AbortSignal | undefined;
    const sent = deliver(
      'webhook:https://x/***',
      (signal) => {
        attemptSignal = signal;
        return new Promise(() => {}); // a client that ignores its signal cannot hold the caller either
      },
      { timeoutMs: 2_000, retries: 2, retryDelayMs: 10, clock },
    );
    await clock.advance(1_999);
    expect(attemptSignal?.aborted).toBe(false);
    await clock.advance(1);
    const outcome = await sent;
    expect(outcome).toMatchObject({ ok: false, attempts: 1, durationMs: 2_000 });
    expect(outcome.error?.code).toBe('ERR_NOTIFY_TIMEOUT');
    expect(outcome.error?.message).toBe('notify webhook:https://x/***: no delivery within 2000 ms');
    expect(attemptSignal?.aborted).toBe(true);
  });

  it('the deadline also ends a retry delay', async () => {
    const clock = new TestClock();
    const sent = deliver('t', async () => Promise.reject(retryable()), {
      timeoutMs: 500,
      retries: 3,
      retryDelayMs: 400,
      clock,
    });
    await clock.advance(500);
    expect(await sent).toMatchObject({ ok: false, attempts: 2, error: { code: 'ERR_NOTIFY_TIMEOUT' } });
  });

  it("the caller's signal abandons it", async () => {
    const clock = new TestClock();
    const controller = new AbortController();
    const sent = deliver('t', () => new Promise(() => {}), {
      timeoutMs: 500,
      retries: 0,
      retryDelayMs: 0,
      clock,
      signal: controller.signal,
    });
    await flush();
    controller.abort();
    expect(await sent).toMatchObject({ ok: false, error: { code: 'ERR_NOTIFY_ABORTED' } });
  });

  it('an unexpected error is named, never quoted (it may hold a URL)', async () => {
    const clock = new TestClock();
    const outcome = await deliver('t', async () => Promise.reject(new TypeError('https://x/SECRET')), {
      timeoutMs: 500,
      retries: 0,
      retryDelayMs: 0,
      clock,
    });
    expect(outcome.error?.message).toBe('notify t: unexpected TypeError');
  });
});
