/**
 * One delivery to one target, bounded: attempts with a doubling delay between them while the
 * failure is one another attempt could fix (5xx, network), all inside one deadline
 * (`clock.now() + timeoutMs`). When the deadline passes, the attempt in flight is aborted and the
 * delivery fails with ERR_NOTIFY_TIMEOUT — a notification never holds its caller longer than its
 * own timeout. Time only through the injected clock. Never throws: the outcome says what happened.
 */
import { NOTIFY_ERROR_CODES, NotifyDeliveryError, type NotifyError } from '../errors.js';

/** Time, as the engine's clocks give it (fleet-client's `Clock` and fleet-sim's `ManualClock` fit). */
export interface NotifyClock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** `Date.now()` and `setTimeout`. */
export const realClock: NotifyClock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
});

export interface DeliveryPolicy {
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  clock: NotifyClock;
  signal?: AbortSignal | undefined;
}

export interface DeliveryOutcome {
  ok: boolean;
  attempts: number;
  durationMs: number;
  error?: NotifyError;
}

/** Runs `attempt` under `policy`; `target` (redacted) names the target in errors. */
export async function deliver(
  target: string,
  attempt: (signal: AbortSignal) => Promise<void>,
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  const { clock } = policy;
  const started = clock.now();
  const stop = new AbortController();
  const timeout = new NotifyDeliveryError(
    target,
    NOTIFY_ERROR_CODES.timeout,
    `no delivery within ${policy.timeoutMs} ms`,
    { retryable: false },
  );
  clock.sleep(policy.timeoutMs, stop.signal).then(
    () => stop.abort(timeout),
    () => {},
  );
  const onOuter = () =>
    stop.abort(new NotifyDeliveryError(target, NOTIFY_ERROR_CODES.aborted, 'aborted', { retryable: false }));
  if (policy.signal?.aborted) onOuter();
  policy.signal?.addEventListener('abort', onOuter, { once: true });
  let attempts = 0;
  const done = (error?: NotifyError): DeliveryOutcome => ({
    ok: error === undefined,
    attempts,
    durationMs: clock.now() - started,
    ...(error ? { error } : {}),
  });
  try {
    for (;;) {
      attempts++;
      try {
        await untilAborted(attempt(stop.signal), stop.signal);
        return done();
      } catch (error) {
        if (stop.signal.aborted) return done(stop.signal.reason as NotifyError);
        const failure = asDeliveryError(target, error);
        if (!failure.retryable || attempts > policy.retries) return done(failure);
      }
      try {
        await clock.sleep(policy.retryDelayMs * 2 ** (attempts - 1), stop.signal);
      } catch {
        return done(stop.signal.reason as NotifyError);
      }
    }
  } finally {
    if (!stop.signal.aborted) stop.abort();
    policy.signal?.removeEventListener('abort', onOuter);
  }
}

/** `work`, or the signal's reason as soon as it aborts (a client that ignores aborts cannot hold us). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {}); // a late failure after the abort is no one's business
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function asDeliveryError(target: string, error: unknown): NotifyDeliveryError {
  if (error instanceof NotifyDeliveryError) return error;
  // senders wrap (and redact) what they expect; anything else is named, never quoted (it may hold a URL)
  const name = (error as Error)?.name ?? typeof error;
  return new NotifyDeliveryError(target, NOTIFY_ERROR_CODES.network, `unexpected ${name}`, {
    retryable: false,
  });
}
