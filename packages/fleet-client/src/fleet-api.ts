import type { JobState, Machine, Unit, UnitOption, UnitState } from './types.js';

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the request (and any retry wait); the call rejects with the signal's reason. @default undefined */
  signal?: AbortSignal;
}

/** Filters for `GET /state`; both are exact matches and are resent with every page. */
export interface UnitStateFilter {
  /** Only the states of this unit (exact name, no globs). @default undefined (every unit) */
  unitName?: string;
  /** Only the states published by this machine (exact ID). @default undefined (every machine) */
  machineID?: string;
}

/** What `createUnit` did, told apart by fleet's status code. */
export interface CreateUnitResult {
  /** `true` on 201 (contents written: new unit or replaced contents), `false` on 204 (only state written). */
  contentsWritten: boolean;
}

/** What `createUnit` sends. */
export interface CreateUnitRequest {
  /** The unit name, checked with `validateUnitName` before sending. */
  name: string;
  /** The unit's contents, non-empty; validated, then sent as `normalizeUnitOptions` gives them. */
  options: UnitOption[];
  /** Target state; fleet defaults a create or replace without it to `inactive`. @default undefined (not sent) */
  desiredState?: JobState;
}

export interface DestroyUnitOptions extends CallOptions {
  /** Treat a unit that does not exist as already destroyed instead of throwing FleetNotFoundError. @default false */
  ignoreNotFound?: boolean;
}

/**
 * Everything fs needs from fleet. The rollout engine depends on this interface only,
 * so fakes and other transports can implement it.
 */
export interface FleetApi {
  /** All units, every page, deduplicated by name (pages are not snapshots). */
  listUnits(options?: CallOptions): Promise<Unit[]>;
  /** Units page by page as fleet serves them. */
  iterateUnits(options?: CallOptions): AsyncIterable<Unit>;
  /**
   * One unit, or `undefined` when fleet answers 404 `unit does not exist` (or a 404 for a name it
   * cannot route, e.g. one with `/`). A 404 from fleet's router for a routable name means the
   * endpoint's path is wrong: FleetNotFoundError.
   */
  getUnit(name: string, options?: CallOptions): Promise<Unit | undefined>;
  /**
   * PUT with options: 201 → contents written; 204 → identical contents, only desiredState written.
   * The options are validated first, then sent as fleet stores them (`normalizeUnitOptions`:
   * grouped by section, trimmed), so re-PUTting the same options is a 204, not a replace.
   */
  createUnit(unit: CreateUnitRequest, options?: CallOptions): Promise<CreateUnitResult>;
  /** PUT `{desiredState}`; only `inactive | loaded | launched` is ever sent. */
  setUnitTargetState(name: string, desiredState: JobState, options?: CallOptions): Promise<void>;
  /** DELETE; throws FleetNotFoundError on 404 unless `ignoreNotFound`. Resolves `true` if it deleted. */
  destroyUnit(name: string, options?: DestroyUnitOptions): Promise<boolean>;
  /** `GET /state` with filters resent on every page; deduplicated by (name, machineID). */
  listUnitStates(filter?: UnitStateFilter, options?: CallOptions): Promise<UnitState[]>;
  /** Live machines, every page. */
  listMachines(options?: CallOptions): Promise<Machine[]>;
  /** `PATCH /machines` with `add`/`replace`/`remove` ops on metadata keys. */
  patchMachineMetadata(ops: MachineMetadataChange[], options?: CallOptions): Promise<void>;
  /**
   * fleetd version from the `Server: fleetd/X.Y.Z` header (cached after first response), e.g.
   * `1.0.0`; `undefined` if not fleet. A 503 that outlasts the retry budget is FleetUnavailableError.
   */
  serverVersion(options?: CallOptions): Promise<string | undefined>;
}

/** A metadata edit in caller terms; the client builds fleet's op/path/value shape. */
export type MachineMetadataChange =
  | { op: 'add' | 'replace'; machineID: string; key: string; value: string }
  | { op: 'remove'; machineID: string; key: string };
