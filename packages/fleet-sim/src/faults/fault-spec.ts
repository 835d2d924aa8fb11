/** Which units a unit fault applies to: every given criterion must hold. */
export interface UnitMatch {
  /** Go `path.Match` glob on the unit name, e.g. `web@*.service`. */
  name?: string;
  /** An option whose value matches the glob, e.g. `{section: 'Service', name: 'Environment', value: 'VERSION=bad'}`. */
  option?: { section?: string; name: string; value: string };
}

/**
 * Faults (fleet-api.md, issue 3): units whose start fails (at once, after N ms, flapping), slow
 * starts, API errors by route/probability/count, and machine death. `route` is a Go glob on
 * `METHOD /path`, tried against the full path and the path without `/fleet/v1` or `/v1-alpha`
 * (`'PUT /units/*'` matches `PUT /fleet/v1/units/web@1.service`); a route without a space matches the
 * path for any method. Without `count` an API fault applies forever; without `probability`, always.
 */
export type FaultSpec =
  | { kind: 'unit-start-fails'; match: UnitMatch; after?: number; flapping?: boolean }
  | { kind: 'unit-slow-start'; match: UnitMatch; delayMs: number }
  | {
      kind: 'api-error';
      route?: string;
      status: number;
      message?: string;
      probability?: number;
      count?: number;
    }
  | { kind: 'api-etcd-unavailable'; route?: string; probability?: number; count?: number }
  | { kind: 'api-reset'; route?: string; probability?: number; count?: number }
  | { kind: 'api-latency'; route?: string; delayMs: number; probability?: number; count?: number }
  | { kind: 'api-drop-response'; route?: string; probability?: number; count?: number }
  | { kind: 'machine-dies'; machineID?: string; atMs: number };
// Times: `after` and `delayMs` are fleet milliseconds (divided by `speed` like every modelled delay).
// `atMs` is a time on the sim's clock (e.g. `clock.now() + 5000`); a value smaller than the clock's
// time at start counts from the start instead (`atMs: 3000` = 3 s after start); a time already past
// kills at once. Without `machineID` the first live machine (by id) dies.

/** The API faults. */
export type ApiFaultSpec = Extract<FaultSpec, { kind: `api-${string}` }>;
/** The unit faults. */
export type UnitFaultSpec = Extract<FaultSpec, { kind: `unit-${string}` }>;
