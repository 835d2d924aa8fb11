import { byteCompare, unitStateJson } from './wire-json.js';

/** A published UnitState (`states/<name>/<machine>`). */
export interface StateRecord {
  readonly name: string;
  readonly machineID: string;
  hash: string;
  load: string;
  active: string;
  sub: string;
  /** Agent incarnation that published it (a dead incarnation's states expire by TTL). */
  epoch: number;
  /** Cached wire JSON. */
  json: string;
}

/**
 * The `states/` tree: indexed by unit name (so `GET /state?unitName=` is O(machines)), with the
 * (name, machineID)-sorted list cached until an entry is added or removed.
 */
export class UnitStateStore {
  readonly #states = new Map<string, Map<string, StateRecord>>();
  #sorted: StateRecord[] | undefined;

  /** Every state sorted by (name, machineID). */
  sorted(): StateRecord[] {
    if (!this.#sorted) {
      const all: StateRecord[] = [];
      for (const byMachine of this.#states.values()) for (const s of byMachine.values()) all.push(s);
      all.sort((a, b) => byteCompare(a.name, b.name) || byteCompare(a.machineID, b.machineID));
      this.#sorted = all;
    }
    return this.#sorted;
  }

  /** One unit's states sorted by machineID. */
  of(name: string): StateRecord[] {
    const byMachine = this.#states.get(name);
    if (!byMachine) return [];
    return [...byMachine.values()].sort((a, b) => byteCompare(a.machineID, b.machineID));
  }

  get(name: string, machineID: string): StateRecord | undefined {
    return this.#states.get(name)?.get(machineID);
  }

  /** Save a state; `false` when nothing visible changed (only the epoch was refreshed). */
  save(fields: Omit<StateRecord, 'json'>): boolean {
    let byMachine = this.#states.get(fields.name);
    if (!byMachine) {
      byMachine = new Map();
      this.#states.set(fields.name, byMachine);
    }
    const existing = byMachine.get(fields.machineID);
    const json = unitStateJson(fields);
    if (!existing) {
      byMachine.set(fields.machineID, { ...fields, json });
      this.#sorted = undefined;
      return true;
    }
    if (existing.json === json) {
      existing.epoch = fields.epoch;
      return false;
    }
    Object.assign(existing, fields, { json });
    return true;
  }

  /** Delete `states/<name>/` on every machine; returns the machines that had one. */
  removeAll(name: string): string[] {
    const byMachine = this.#states.get(name);
    if (!byMachine) return [];
    this.#states.delete(name);
    this.#sorted = undefined;
    return [...byMachine.keys()];
  }

  /** Delete one key; `false` when it was not there. */
  remove(name: string, machineID: string): boolean {
    const byMachine = this.#states.get(name);
    if (!byMachine?.delete(machineID)) return false;
    if (byMachine.size === 0) this.#states.delete(name);
    this.#sorted = undefined;
    return true;
  }

  /** Every state one machine published. */
  publishedBy(machineID: string): StateRecord[] {
    const out: StateRecord[] = [];
    for (const byMachine of this.#states.values()) {
      const s = byMachine.get(machineID);
      if (s) out.push(s);
    }
    return out;
  }
}
