/** ClusterSnapshot: what is there, and how the planner reads it. */
import type { JobState, Machine, Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { parseUnitName, unitHash } from './fleet-helpers.js';

/** The lock as read from the cluster. */
export interface LockInfo {
  owner: string;
  host: string;
  pid: number;
  /** Clock ms when it was taken. */
  start: number;
  /** Clock ms after which anyone may take it. */
  expiry: number;
  /** Random, unique per acquisition: how a holder recognises its own write. */
  token: string;
}

/** The rollout record kept in the cluster (see reserved-units.ts). */
export interface RolloutRecord {
  /** Contents before the rollout started (the template's, else the most common instance's). */
  previous?: { hash: string; options: UnitOption[]; count: number };
  /** Contents being rolled out (also after a rollback: what was rolled out and then back). */
  target: { hash: string; count: number; options?: UnitOption[] };
  /**
   * How the rollout ended. `rolled-back`: the service runs `previous` again (see `rolledTo`);
   * `rollback-failed`: the automatic rollback failed too, the service may run a mix of both.
   */
  status:
    | 'in-progress'
    | 'canary'
    | 'succeeded'
    | 'paused'
    | 'aborted'
    | 'failed'
    | 'rolled-back'
    | 'rollback-failed';
  /** Clock ms of the last write. */
  updated: number;
  owner?: string;
}

/** Everything the planner needs about one service, read from fleet. */
export interface ClusterSnapshot {
  service: string;
  /** Every unit of the service: template, instances, `S.service`, non-indexed instances (not the reserved units). */
  units: Unit[];
  /** `/state` entries of those units. */
  states: UnitState[];
  /** Live machines (for machine-aware ordering and diagnosis), when read. */
  machines?: Machine[];
  record?: RolloutRecord;
  lock?: LockInfo;
  /** fleetd version from the Server header, e.g. `1.0.0`. */
  serverVersion?: string;
}

/** One instance as the planner sees it. */
export interface InstanceView {
  name: string;
  index: number;
  hash: string;
  desiredState?: JobState;
  machineID?: string;
  /** launched, with a machineID, and a /state entry on that machine with this unit's hash, loaded and active. */
  running: boolean;
}

/** A snapshot sorted into the roles the algorithm uses. */
export interface ServiceView {
  template?: { name: string; hash: string };
  /** Indexed instances `S@<n>.service`, ascending by index. */
  instances: InstanceView[];
  /** `S.service`, if present. */
  nonInstanced?: { name: string; hash: string };
  /** `S@blue.service` and other non-numeric instances, by name. */
  nonIndexed: { name: string; hash: string }[];
}

/** `/state` entries by unit name and machine, so a lookup per unit costs O(1), not O(states). */
export type StateIndex = ReadonlyMap<string, UnitState>;

const stateKey = (name: string, machineID: string) => `${machineID}\u0000${name}`;

/** Index `/state` entries by (name, machineID); the first entry of a pair wins, as `find` would. */
export function indexStates(states: readonly UnitState[]): StateIndex {
  const index = new Map<string, UnitState>();
  for (const s of states) {
    const key = stateKey(s.name ?? '', s.machineID ?? '');
    if (!index.has(key)) index.set(key, s);
  }
  return index;
}

/** Is the unit running its own contents right now (per this snapshot)? Pass an index for many units. */
export function isRunningPerSnapshot(
  unit: Unit,
  hash: string,
  states: readonly UnitState[] | StateIndex,
): boolean {
  if (unit.currentState !== 'launched' || !unit.machineID) return false;
  const machineID = unit.machineID;
  const state = Array.isArray(states)
    ? (states as readonly UnitState[]).find((s) => s.name === unit.name && s.machineID === machineID)
    : (states as StateIndex).get(stateKey(unit.name, machineID));
  return (
    state !== undefined &&
    state.hash === hash &&
    state.systemdLoadState === 'loaded' &&
    state.systemdActiveState === 'active'
  );
}

/** Sort a snapshot's units into template, indexed instances, `S.service` and non-indexed instances. */
export function viewService(snapshot: ClusterSnapshot): ServiceView {
  const view: ServiceView = { instances: [], nonIndexed: [] };
  const states = indexStates(snapshot.states);
  for (const unit of snapshot.units) {
    const parts = parseUnitName(unit.name);
    if (parts.prefix !== snapshot.service || parts.type !== 'service') continue;
    const hash = unitHash(unit.options ?? []);
    if (parts.isTemplate) view.template = { name: unit.name, hash };
    else if (!parts.isInstance) view.nonInstanced = { name: unit.name, hash };
    else if (parts.index === undefined) view.nonIndexed.push({ name: unit.name, hash });
    else {
      view.instances.push({
        name: unit.name,
        index: parts.index,
        hash,
        desiredState: unit.desiredState,
        machineID: unit.machineID,
        running: isRunningPerSnapshot(unit, hash, states),
      });
    }
  }
  view.instances.sort((a, b) => a.index - b.index);
  view.nonIndexed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return view;
}
