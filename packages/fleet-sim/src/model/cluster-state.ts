import type { JobState, UnitOption } from '@fleet-service/fleet-client';
import { isJobState } from '@fleet-service/fleet-client';
import type { UnitRequirements } from '../engine/requirements.js';
import type { TimelineEvent } from '../observe/types.js';
import { type StateRecord, UnitStateStore } from './unit-state-store.js';
import { byteCompare } from './wire-json.js';

export type { StateRecord } from './unit-state-store.js';

/** A unit in the registry (etcd `job/<name>/…` plus its contents). */
export interface UnitRecord {
  readonly name: string;
  /** Options as GET returns them: the stored text re-parsed (grouped by section, trimmed). */
  options: UnitOption[];
  /** Cached JSON of `options` ('' when none). */
  optionsJson: string;
  /** SHA-1 of the serialized (re-parsed) options: what agents load and publish. */
  hash: string;
  /** Stored target-state, unvalidated on the update path (§13.1): anything but a JobState poisons it. */
  desiredState: string;
  /** `job/<name>/target`: the machine the engine chose. */
  target: string | undefined;
  /** `job/<name>/job-state`: the machine heartbeating it as launched. */
  heartbeat: string | undefined;
  reqs: UnitRequirements;
  isTemplate: boolean;
}

/** A machine (its presence key, config metadata and agent liveness). */
export interface MachineRecord {
  readonly id: string;
  primaryIP: string;
  /** fleet.conf metadata. */
  configMetadata: Map<string, string>;
  /** The host and its fleetd are up (heartbeating). */
  alive: boolean;
  /** Listed in /machines (presence key not yet expired). */
  registered: boolean;
}

/** Is the unit's stored desiredState unreadable (etcd's dirToUnit fails on it)? */
export const isPoisoned = (u: UnitRecord): boolean => !isJobState(u.desiredState);

/**
 * The registry: what etcd holds in real fleet, with indexes so that lists and per-unit lookups stay
 * cheap at 10,000 units. Every change goes through here and is reported as a timeline event.
 */
export class ClusterState {
  readonly units = new Map<string, UnitRecord>();
  readonly machines = new Map<string, MachineRecord>();
  /** Dynamic metadata from PATCH /machines; '' masks a config value. Kept for unknown machines too. */
  readonly dynamicMetadata = new Map<string, Map<string, string>>();
  readonly #states = new UnitStateStore();
  readonly #byTarget = new Map<string, Set<string>>();
  readonly globals = new Set<string>();
  #sortedUnits: UnitRecord[] | undefined;
  #visibleUnits: UnitRecord[] | undefined;
  #poisoned = 0;
  readonly #lastCurrent = new Map<string, JobState>();
  readonly #now: () => number;
  readonly #emit: (event: TimelineEvent) => void;

  constructor(now: () => number, emit: (event: TimelineEvent) => void) {
    this.#now = now;
    this.#emit = emit;
  }

  #event(e: Omit<TimelineEvent, 'time'>): void {
    this.#emit({ time: this.#now(), ...e });
  }

  // --- units

  /** Units sorted by name, poisoned ones included. */
  sortedUnits(): UnitRecord[] {
    this.#sortedUnits ??= [...this.units.values()].sort((a, b) => byteCompare(a.name, b.name));
    return this.#sortedUnits;
  }

  /** Units as `GET /units` lists them: sorted, poisoned ones silently left out (§4.1). */
  visibleUnits(): UnitRecord[] {
    if (this.#poisoned === 0) return this.sortedUnits();
    this.#visibleUnits ??= this.sortedUnits().filter((u) => !isPoisoned(u));
    return this.#visibleUnits;
  }

  /** Create or replace a unit's contents and target state (the schedule is kept, §6 step 9). */
  putUnit(fields: Omit<UnitRecord, 'target' | 'heartbeat'>): { created: boolean; hashChanged: boolean } {
    const existing = this.units.get(fields.name);
    if (existing) {
      const hashChanged = existing.hash !== fields.hash;
      this.#setPoison(existing, false);
      const fromDesired = existing.desiredState;
      const fromHash = existing.hash;
      Object.assign(existing, fields);
      this.#setPoison(existing, true);
      this.#indexGlobal(existing);
      if (hashChanged)
        this.#event({ unit: fields.name, kind: 'hash', from: fromHash, to: fields.hash, hash: fields.hash });
      if (fromDesired !== fields.desiredState) {
        this.#event({ unit: fields.name, kind: 'desired', from: fromDesired, to: fields.desiredState });
      }
      this.#visibleUnits = undefined;
      return { created: false, hashChanged };
    }
    const record: UnitRecord = { ...fields, target: undefined, heartbeat: undefined };
    this.units.set(record.name, record);
    this.#setPoison(record, true);
    this.#indexGlobal(record);
    this.#sortedUnits = undefined;
    this.#visibleUnits = undefined;
    this.#event({ unit: record.name, kind: 'hash', to: record.hash, hash: record.hash });
    this.#event({ unit: record.name, kind: 'desired', to: record.desiredState });
    this.noteCurrent(record.name);
    return { created: true, hashChanged: true };
  }

  /** Write only the target state (the update path; unvalidated, as fleet does). */
  setDesiredState(name: string, desiredState: string): void {
    const u = this.units.get(name);
    if (!u || u.desiredState === desiredState) return;
    const from = u.desiredState;
    this.#setPoison(u, false);
    u.desiredState = desiredState;
    this.#setPoison(u, true);
    this.#visibleUnits = undefined;
    this.#event({ unit: name, kind: 'desired', from, to: desiredState });
  }

  /** DELETE: the job directory goes (target, target-state, heartbeat); states stay until the agent acts. */
  deleteUnit(name: string): UnitRecord | undefined {
    const u = this.units.get(name);
    if (!u) return undefined;
    this.setTarget(name, undefined);
    u.heartbeat = undefined;
    this.#setPoison(u, false);
    this.units.delete(name);
    this.globals.delete(name);
    this.#sortedUnits = undefined;
    this.#visibleUnits = undefined;
    this.#lastCurrent.delete(name);
    this.#event({ unit: name, kind: 'destroyed' });
    return u;
  }

  setTarget(name: string, machineID: string | undefined): void {
    const u = this.units.get(name);
    if (!u || u.target === machineID) return;
    const from = u.target;
    if (from) this.#byTarget.get(from)?.delete(name);
    u.target = machineID;
    if (machineID) {
      let set = this.#byTarget.get(machineID);
      if (!set) {
        set = new Set();
        this.#byTarget.set(machineID, set);
      }
      set.add(name);
    }
    this.#event({
      unit: name,
      kind: 'scheduled',
      from: from ?? '-',
      to: machineID ?? '-',
      ...(machineID ? { machineID } : {}),
    });
    this.noteCurrent(name);
  }

  /** Names of units whose target is this machine. */
  unitsOn(machineID: string): ReadonlySet<string> {
    return this.#byTarget.get(machineID) ?? EMPTY;
  }

  setHeartbeat(name: string, machineID: string | undefined): void {
    const u = this.units.get(name);
    if (!u || u.heartbeat === machineID) return;
    u.heartbeat = machineID;
    this.noteCurrent(name);
  }

  /** Clear the heartbeat only if `machineID` holds it. */
  clearHeartbeat(name: string, machineID: string): void {
    const u = this.units.get(name);
    if (u?.heartbeat === machineID) this.setHeartbeat(name, undefined);
  }

  /** currentState exactly as fleet-api.md §9.2 derives it. */
  currentState(u: UnitRecord): JobState {
    if (!u.target) return 'inactive';
    if (!this.#states.get(u.name, u.target)) return 'inactive';
    return u.heartbeat === u.target ? 'launched' : 'loaded';
  }

  /** Record a `current` timeline event if the derived currentState changed. */
  noteCurrent(name: string): void {
    const u = this.units.get(name);
    if (!u) return;
    const now = this.currentState(u);
    const before = this.#lastCurrent.get(name);
    if (before === now) return;
    this.#lastCurrent.set(name, now);
    this.#event({
      unit: name,
      kind: 'current',
      ...(before ? { from: before } : {}),
      to: now,
      ...(u.target ? { machineID: u.target } : {}),
    });
  }

  #setPoison(u: UnitRecord, add: boolean): void {
    if (isPoisoned(u)) this.#poisoned += add ? 1 : -1;
  }

  #indexGlobal(u: UnitRecord): void {
    if (u.reqs.global) this.globals.add(u.name);
    else this.globals.delete(u.name);
  }

  // --- unit states

  /** States sorted by (name, machineID). */
  sortedStates(): StateRecord[] {
    return this.#states.sorted();
  }

  /** One unit's states sorted by machineID (cheap: indexed by name). */
  statesOf(name: string): StateRecord[] {
    return this.#states.of(name);
  }

  stateOf(name: string, machineID: string): StateRecord | undefined {
    return this.#states.get(name, machineID);
  }

  /** An agent publishes (SaveUnitState). */
  publishState(fields: Omit<StateRecord, 'json'>): void {
    if (!this.#states.save(fields)) return;
    this.#event({
      unit: fields.name,
      machineID: fields.machineID,
      kind: 'state',
      to: `${fields.load}/${fields.active}/${fields.sub}`,
      hash: fields.hash,
    });
    this.noteCurrent(fields.name);
  }

  /** RemoveUnitState: deletes `states/<name>/` for ALL machines (fleet's acknowledged TODO, §9.2). Returns the machines wiped. */
  removeUnitState(name: string): string[] {
    const wiped = this.#states.removeAll(name);
    if (wiped.length === 0) return wiped;
    for (const m of wiped) this.#event({ unit: name, machineID: m, kind: 'state', to: '-' });
    this.noteCurrent(name);
    return wiped;
  }

  /** A single `states/<name>/<machine>` key expiring by TTL. */
  expireState(name: string, machineID: string): void {
    if (!this.#states.remove(name, machineID)) return;
    this.#event({ unit: name, machineID, kind: 'state', to: '-' });
    this.noteCurrent(name);
  }

  /** Every (name, state) published by one machine. */
  statesPublishedBy(machineID: string): StateRecord[] {
    return this.#states.publishedBy(machineID);
  }

  // --- machines

  /** Registered (listed) machines sorted by id. */
  registeredMachines(): MachineRecord[] {
    return [...this.machines.values()].filter((m) => m.registered).sort((a, b) => byteCompare(a.id, b.id));
  }

  /** Config metadata merged with PATCHed metadata ('' masks a key). */
  effectiveMetadata(id: string): Map<string, string> {
    const out = new Map(this.machines.get(id)?.configMetadata ?? []);
    for (const [k, v] of this.dynamicMetadata.get(id) ?? []) {
      if (v === '') out.delete(k);
      else out.set(k, v);
    }
    return out;
  }

  setDynamicMetadata(id: string, key: string, value: string): void {
    let m = this.dynamicMetadata.get(id);
    if (!m) {
      m = new Map();
      this.dynamicMetadata.set(id, m);
    }
    m.set(key, value);
  }

  emitMachine(machineID: string, to: string): void {
    this.#event({ unit: '', machineID, kind: 'machine', to });
  }

  emitSystemd(unit: string, machineID: string, to: string, hash: string | undefined): void {
    this.#event({ unit, machineID, kind: 'systemd', to, ...(hash ? { hash } : {}) });
  }
}

const EMPTY: ReadonlySet<string> = new Set();
