import type { Clock } from '@fleet-service/fleet-client';

interface Sleeper {
  due: number;
  seq: number;
  resolve: () => void;
}

/** Options of a ManualClock. */
export interface ManualClockOptions {
  /**
   * Jump to the next due timer by itself whenever nothing but sleepers is pending (no HTTP request in
   * flight at a simulator using this clock, no new sleeper for `idleTurns` event-loop turns).
   * @default false
   */
  autoAdvance?: boolean;
  /**
   * Event-loop turns (setImmediate) without any activity before autoAdvance jumps.
   * @default 10
   */
  idleTurns?: number;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock whose time moves only when told (`advance`, `next`) or, with `autoAdvance`, when everything
 * that is pending is a sleeper. Implements the shared Clock, so executors and the simulator can share it.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #sleepers: Sleeper[] = [];
  readonly #autoAdvance: boolean;
  readonly #idleTurns: number;
  #busy = 0;
  #activity = 0;
  #idleLoop = false;

  constructor(start = 0, options: ManualClockOptions = {}) {
    this.#now = start;
    this.#autoAdvance = options.autoAdvance ?? false;
    this.#idleTurns = Math.max(1, options.idleTurns ?? 10);
  }

  now(): number {
    return this.#now;
  }

  /** Number of pending sleepers. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Open holds (requests in flight at a simulator using this clock). */
  get holds(): number {
    return this.#busy;
  }

  /** Whether this clock jumps by itself when idle. */
  get autoAdvance(): boolean {
    return this.#autoAdvance;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        due: this.#now + (Number.isFinite(ms) ? Math.max(0, ms) : 0),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.#sleepers.indexOf(sleeper);
        if (i >= 0) this.#sleepers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#insert(sleeper);
      this.#activity++;
      this.#startIdleLoop();
    });
  }

  /** Move time forward by `ms`, firing every timer due on the way in order (flushing between). */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    for (;;) {
      const first = this.#sleepers[0];
      if (!first || first.due > target) break;
      this.#fireDue(first.due);
      await flush();
    }
    this.#now = Math.max(this.#now, target);
    await flush();
  }

  /** Advance to the next due time (if any) and fire what is due then; `false` when nothing is pending. */
  async next(): Promise<boolean> {
    const first = this.#sleepers[0];
    if (!first) return false;
    this.#fireDue(first.due);
    await flush();
    return true;
  }

  /**
   * Mark work in progress that is not a sleeper (an HTTP request being served); autoAdvance never
   * jumps while any hold is open. Returns the release function (idempotent).
   */
  hold(): () => void {
    this.#busy++;
    this.#activity++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#busy--;
      this.#activity++;
      this.#startIdleLoop();
    };
  }

  /** Record that something happened (e.g. a connection opened), postponing an autoAdvance jump. */
  touch(): void {
    this.#activity++;
  }

  /** Fire every sleeper due at or before `due`, in (due, creation) order, after setting the time. */
  #fireDue(due: number): void {
    this.#now = Math.max(this.#now, due);
    let n = 0;
    while (n < this.#sleepers.length && this.#sleepers[n]!.due <= due) n++;
    for (const s of this.#sleepers.splice(0, n)) s.resolve();
  }

  #insert(sleeper: Sleeper): void {
    const list = this.#sleepers;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid]!;
      if (m.due < sleeper.due || (m.due === sleeper.due && m.seq < sleeper.seq)) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, sleeper);
  }

  #startIdleLoop(): void {
    if (!this.#autoAdvance || this.#idleLoop || this.#sleepers.length === 0) return;
    this.#idleLoop = true;
    let seen = this.#activity;
    let turns = 0;
    const tick = () => {
      if (this.#sleepers.length === 0) {
        this.#idleLoop = false;
        return;
      }
      if (this.#busy > 0 || this.#activity !== seen) {
        seen = this.#activity;
        turns = 0;
      } else if (++turns >= this.#idleTurns) {
        this.#fireDue(this.#sleepers[0]!.due);
        this.#activity++;
        seen = this.#activity;
        turns = 0;
      }
      setImmediate(tick);
    };
    setImmediate(tick);
  }
}

/** Duck-typed check for a clock that supports `hold()`/`touch()` (a ManualClock, possibly another copy). */
export function isHoldableClock(clock: Clock): clock is Clock & Pick<ManualClock, 'hold' | 'touch'> {
  const c = clock as Partial<ManualClock>;
  return typeof c.hold === 'function' && typeof c.touch === 'function';
}
