import type { TimerHandle } from '../clock/timers.js';
import { byteCompare } from '../model/wire-json.js';
import type { AgentDeps } from './agent.js';

/** What the publisher reads of a unit the machine's systemd has loaded. */
export interface SystemdSnapshot {
  readonly name: string;
  readonly hash: string;
  readonly load: string;
  readonly active: string;
  readonly sub: string;
}

/**
 * One machine's UnitState publisher (fleet `agent/unit_state.go`): systemd is polled on a 1 s grid
 * (seeded phase per machine) and changed states are published together; a unit that disappeared
 * from systemd publishes nil, which deletes its states on every machine (RemoveUnitState, §9.2).
 */
export class StatePublisher {
  readonly #machineID: string;
  readonly #deps: AgentDeps;
  readonly #lookup: (name: string) => SystemdSnapshot | undefined;
  readonly #epoch: () => number;
  readonly #published = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #refresh = new Map<string, TimerHandle>();
  readonly #phase: number;
  #timer: TimerHandle | undefined;

  constructor(
    machineID: string,
    deps: AgentDeps,
    lookup: (name: string) => SystemdSnapshot | undefined,
    epoch: () => number,
  ) {
    this.#machineID = machineID;
    this.#deps = deps;
    this.#lookup = lookup;
    this.#epoch = epoch;
    this.#phase = deps.random.next() * deps.timings.statePoll;
  }

  /** systemd's view of `name` changed: publish at the next poll. */
  markDirty(name: string): void {
    this.#dirty.add(name);
    if (this.#timer) return;
    const poll = this.#deps.timings.statePoll;
    const since = (this.#deps.modelNow() - this.#phase) % poll;
    const lag = poll - (since < 0 ? since + poll : since);
    this.#timer = this.#deps.timers.after(lag, () => {
      this.#timer = undefined;
      this.#publish();
    });
  }

  #publish(): void {
    const names = [...this.#dirty].sort(byteCompare);
    this.#dirty.clear();
    for (const name of names) {
      const unit = this.#lookup(name);
      if (unit) this.#publishOne(unit);
      else if (this.#published.delete(name)) {
        const wiped = this.#deps.cluster.removeUnitState(name).filter((m) => m !== this.#machineID);
        if (wiped.length > 0) this.#deps.onWiped(name, wiped);
      }
    }
  }

  #publishOne(unit: SystemdSnapshot): void {
    this.#published.add(unit.name);
    this.#deps.cluster.publishState({
      name: unit.name,
      machineID: this.#machineID,
      hash: unit.hash,
      load: unit.load,
      active: unit.active,
      sub: unit.sub,
      epoch: this.#epoch(),
    });
  }

  /** Another machine's RemoveUnitState wiped our state: republish it at our next refresh (≤ 24 s). */
  refreshLater(name: string): void {
    if (this.#refresh.has(name) || !this.#lookup(name)) return;
    const delay = this.#deps.random.between(this.#deps.timings.stateRefresh);
    this.#refresh.set(
      name,
      this.#deps.timers.after(delay, () => {
        this.#refresh.delete(name);
        const unit = this.#lookup(name);
        if (unit && this.#published.has(name) && !this.#deps.cluster.stateOf(name, this.#machineID)) {
          this.#publishOne(unit);
        }
      }),
    );
  }

  /** Forget everything (the machine died): nothing pending, nothing remembered as published. */
  reset(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    for (const t of this.#refresh.values()) t.cancel();
    this.#refresh.clear();
    this.#dirty.clear();
    this.#published.clear();
  }
}
