import { anyMatch, hasMetadata, matchesMachineID, type UnitRequirements } from './requirements.js';

/** A unit as seen in a machine's schedule: its name and requirements. */
export interface ScheduledUnit {
  name: string;
  reqs: UnitRequirements;
}

/** One machine's schedule during a reconcile (fleet's AgentState). */
export class MachineView {
  readonly id: string;
  readonly metadata: ReadonlyMap<string, string>;
  /** Non-global units scheduled here; their count is the load. */
  readonly units = new Map<string, ScheduledUnit>();
  /** Global units running here; they count for Conflicts, not for load. */
  readonly globals = new Map<string, ScheduledUnit>();
  /** Units (either kind) that carry Conflicts or Replaces patterns: the only ones that can block others. */
  readonly #holders = new Map<string, ScheduledUnit>();

  constructor(id: string, metadata: ReadonlyMap<string, string>) {
    this.id = id;
    this.metadata = metadata;
  }

  add(unit: ScheduledUnit, global = false): void {
    (global ? this.globals : this.units).set(unit.name, unit);
    if (unit.reqs.conflicts.length > 0 || unit.reqs.replaces.length > 0) this.#holders.set(unit.name, unit);
  }

  remove(name: string): void {
    this.units.delete(name);
    if (!this.globals.has(name)) this.#holders.delete(name);
  }

  get load(): number {
    return this.units.size;
  }

  /**
   * fleet's `AbleToRun`: MachineID (full or short), MachineMetadata, every MachineOf peer scheduled
   * here, no Conflicts either way (globs), and — the simulator's reading of Replaces — no unit here
   * whose Replaces matches this one. `ignore` names units to pretend absent (those being replaced).
   */
  ableToRun(unit: ScheduledUnit, ignore?: ReadonlySet<string>): boolean {
    const r = unit.reqs;
    if (r.machineID !== undefined && !matchesMachineID(this.id, r.machineID)) return false;
    if (Object.keys(r.machineMetadata).length > 0 && !hasMetadata(this.metadata, r.machineMetadata))
      return false;
    for (const peer of r.machineOf) if (!this.units.has(peer)) return false;
    return !this.#blocked(unit, ignore);
  }

  #blocked(unit: ScheduledUnit, ignore?: ReadonlySet<string>): boolean {
    for (const other of this.#holders.values()) {
      if (other.name === unit.name || ignore?.has(other.name)) continue;
      if (anyMatch(other.reqs.conflicts, unit.name) || anyMatch(other.reqs.replaces, unit.name)) return true;
    }
    if (unit.reqs.conflicts.length === 0) return false;
    for (const others of [this.units, this.globals]) {
      for (const other of others.keys()) {
        if (other === unit.name || ignore?.has(other)) continue;
        if (anyMatch(unit.reqs.conflicts, other)) return true;
      }
    }
    return false;
  }

  /** Units here that `unit`'s Replaces matches. */
  replaceable(unit: ScheduledUnit): string[] {
    if (unit.reqs.replaces.length === 0) return [];
    const out: string[] = [];
    for (const other of this.units.values()) {
      if (other.name !== unit.name && anyMatch(unit.reqs.replaces, other.name)) out.push(other.name);
    }
    return out;
  }
}
