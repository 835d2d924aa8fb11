/**
 * fleet v1 wire types, spelled exactly as fleet spells them (schema/v1-gen.go).
 * Every response field is `omitempty` on the wire: a missing field means ""/[]/{}.
 */

/** fleet's only state enum: desiredState and currentState are both JobStates. */
export type JobState = 'inactive' | 'loaded' | 'launched';

/** The JobStates, in lifecycle order. The only values ever sent as desiredState. */
export const JOB_STATES: readonly JobState[] = Object.freeze(['inactive', 'loaded', 'launched']);

/** Type guard: is `value` one of fleet's three JobStates? */
export function isJobState(value: unknown): value is JobState {
  return value === 'inactive' || value === 'loaded' || value === 'launched';
}

/** One line of a unit file: `[section]` `name=value`. */
export interface UnitOption {
  section: string;
  name: string;
  value: string;
}

/** A unit as fleet returns it from `GET /units` and `GET /units/{name}`. */
export interface Unit {
  name: string;
  /** Absent when the unit has no options. */
  options?: UnitOption[];
  desiredState?: JobState;
  /** Computed by fleet on read; absent for global units on `GET /units/{name}`. */
  currentState?: JobState;
  /** Present only when the engine has scheduled the unit (never for global units). */
  machineID?: string;
}

export interface UnitPage {
  units?: Unit[];
  nextPageToken?: string;
}

/** The systemd view of one unit on one machine, from `GET /state`. */
export interface UnitState {
  name?: string;
  /** SHA-1 of the unit file as loaded on that machine. */
  hash?: string;
  machineID?: string;
  /** e.g. loaded, not-found, error, masked */
  systemdLoadState?: string;
  /** e.g. active, activating, deactivating, inactive, failed, reloading */
  systemdActiveState?: string;
  /** e.g. running, dead, exited, failed, start, auto-restart */
  systemdSubState?: string;
}

export interface UnitStatePage {
  states?: UnitState[];
  nextPageToken?: string;
}

export interface Machine {
  id?: string;
  primaryIP?: string;
  metadata?: Record<string, string>;
}

export interface MachinePage {
  machines?: Machine[];
  nextPageToken?: string;
}

/** fleet's error entity: `code` always equals the HTTP status; `message` may be "". */
export interface FleetErrorBody {
  error: { code: number; message: string };
}

/** One `PATCH /machines` operation. `value` is nested: `{"value": "x"}`, not a bare string. */
export interface MetadataOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: { value: string };
}
