import type { Clock } from '@fleet-service/fleet-client';

/** A cancellable pending callback. */
export interface TimerHandle {
  readonly due: number;
  cancel(): void;
}

/**
 * Callbacks after a delay on the simulator's clock. Delays are given in model milliseconds (fleet's
 * real timings) and divided by `speed`. `close()` cancels everything, leaving no timers behind.
 */
export class SimTimers {
  readonly #clock: Clock;
  readonly #speed: number;
  readonly #pending = new Set<AbortController>();
  #closed = false;

  constructor(clock: Clock, speed: number) {
    this.#clock = clock;
    this.#speed = speed;
  }

  /** Clock milliseconds that `modelMs` of fleet time take at this speed. */
  scale(modelMs: number): number {
    return Math.max(0, modelMs / this.#speed);
  }

  /** Run `fn` after `modelMs` (scaled by speed). */
  after(modelMs: number, fn: () => void): TimerHandle {
    const ms = this.scale(modelMs);
    const due = this.#clock.now() + ms;
    const controller = new AbortController();
    if (this.#closed) return { due, cancel() {} };
    this.#pending.add(controller);
    this.#clock.sleep(ms, controller.signal).then(
      () => {
        this.#pending.delete(controller);
        if (!this.#closed) fn();
      },
      () => {
        this.#pending.delete(controller);
      },
    );
    return {
      due,
      cancel: () => {
        if (this.#pending.delete(controller)) controller.abort();
      },
    };
  }

  /** Resolve after `modelMs` (scaled by speed); rejects when the timers are closed. */
  sleep(modelMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(modelMs, resolve);
    });
  }

  get size(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#closed = true;
    for (const c of this.#pending) c.abort();
    this.#pending.clear();
  }
}
