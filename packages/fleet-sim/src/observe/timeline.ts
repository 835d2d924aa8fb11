import type { TimelineEvent } from './types.js';

/** Queries over every recorded change. */
export interface Timeline {
  /** Every change in time order. */
  readonly events: readonly TimelineEvent[];
  /** Units matching `pred` that were running (systemd `active/running` on some machine) at time `t`, sorted. */
  activeAt(t: number, pred: (unitName: string) => boolean): string[];
  /**
   * Minimum over [from, to] of the number of matching units running (with one of `hashes`, if given),
   * evaluated after every instant at which something changed — exact over the recorded change points.
   */
  minActive(
    pred: (unitName: string) => boolean,
    from?: number,
    to?: number,
    opts?: { hashes?: string[] },
  ): number;
}

const RUNNING = '/active/running';

/** Replays systemd events into "how many matching units are running". */
class RunningCounter {
  readonly #running = new Map<string, Map<string, string>>();
  readonly #qualifying = new Map<string, number>();
  readonly #pred: (unit: string) => boolean;
  readonly #hashes: Set<string> | undefined;
  readonly #predCache = new Map<string, boolean>();
  count = 0;

  constructor(pred: (unit: string) => boolean, hashes?: string[]) {
    this.#pred = pred;
    this.#hashes = hashes ? new Set(hashes) : undefined;
  }

  apply(e: TimelineEvent): void {
    if (e.kind !== 'systemd' || !e.machineID) return;
    let matches = this.#predCache.get(e.unit);
    if (matches === undefined) {
      matches = this.#pred(e.unit);
      this.#predCache.set(e.unit, matches);
    }
    if (!matches) return;
    let byMachine = this.#running.get(e.unit);
    if (!byMachine) {
      byMachine = new Map();
      this.#running.set(e.unit, byMachine);
    }
    const before = this.#qualifying.get(e.unit) ?? 0;
    if (e.to?.endsWith(RUNNING)) byMachine.set(e.machineID, e.hash ?? '');
    else byMachine.delete(e.machineID);
    let after = 0;
    for (const hash of byMachine.values()) if (!this.#hashes || this.#hashes.has(hash)) after++;
    this.#qualifying.set(e.unit, after);
    if (before === 0 && after > 0) this.count++;
    if (before > 0 && after === 0) this.count--;
  }

  running(): string[] {
    return [...this.#qualifying]
      .filter(([, n]) => n > 0)
      .map(([u]) => u)
      .sort();
  }
}

/** The simulator's timeline: appended by the registry and agents, queried by tests. */
export class SimTimeline implements Timeline {
  readonly events: TimelineEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  record(event: TimelineEvent): void {
    this.events.push(event);
  }

  activeAt(t: number, pred: (unitName: string) => boolean): string[] {
    const counter = new RunningCounter(pred);
    for (const e of this.events) {
      if (e.time > t) break;
      counter.apply(e);
    }
    return counter.running();
  }

  minActive(
    pred: (unitName: string) => boolean,
    from?: number,
    to?: number,
    opts?: { hashes?: string[] },
  ): number {
    const start = from ?? Number.NEGATIVE_INFINITY;
    const end = to ?? this.#now();
    const counter = new RunningCounter(pred, opts?.hashes);
    let i = 0;
    const events = this.events;
    while (i < events.length && events[i]!.time <= start) counter.apply(events[i++]!);
    let min = counter.count;
    while (i < events.length && events[i]!.time <= end) {
      const instant = events[i]!.time;
      while (i < events.length && events[i]!.time === instant) counter.apply(events[i++]!);
      min = Math.min(min, counter.count);
    }
    return min;
  }
}
