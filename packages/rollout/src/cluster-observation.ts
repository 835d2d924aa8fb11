/**
 * One observation of the cluster for many services, and each service's snapshot derived from it.
 *
 * Cost: fleet has no name filter on `GET /units`, so an observation makes ONE whole-cluster read
 * (`listUnits`, every page), plus one `GET /machines` and the cached server version. `/state`:
 * for every unit, one whole-cluster `GET /state` (every page); or, with `services`, one
 * `GET /state?unitName=` per scheduled unit of those services (O(service), not O(cluster): what a
 * single rollout uses) — or the `/state` listing when its pages are fewer than those reads (a big
 * service in a small cluster). Planning
 * 50 services from one observation costs one listing, not 50.
 */
import type { FleetApi, Machine, Unit, UnitState } from '@fleet-service/fleet-client';
import { parseUnitName } from './fleet-helpers.js';
import { listingPages } from './listing-pages.js';
import { parseLock } from './lock.js';
import { parseRecord } from './record.js';
import { lockUnitName, recordUnitName } from './reserved-units.js';
import type { ClusterSnapshot } from './snapshot.js';

/** What one observation read: every unit, the `/state` entries read, machines and the server version. */
export interface ClusterObservation {
  /** Every unit in the cluster (the services' own, fs's record and lock units, anything else). */
  units: Unit[];
  /** `/state` entries: of every unit, or only of the units of `services`. */
  states: UnitState[];
  /** The services whose `/state` entries were read; absent = every unit's. */
  services?: string[];
  /** Live machines, when read. */
  machines?: Machine[];
  /** fleetd version from the Server header, e.g. `1.0.0`. */
  serverVersion?: string;
}

export interface ObserveClusterOptions {
  signal?: AbortSignal;
  /** Read `/state` per unit of only these services (cheaper for a few services in a big cluster). @default every unit's, in one listing */
  services?: readonly string[];
  /** Parallel `/state?unitName=` requests (with `services`). @default 8 */
  concurrency?: number;
  /** Also read `/machines`. @default true */
  machines?: boolean;
}

/** Is `name` one of the service's own units (template, instance, `S.service`, `S@blue.service`)? */
export function isServiceUnit(service: string, name: string): boolean {
  const p = parseUnitName(name);
  return p.prefix === service && p.type === 'service';
}

/** Read the cluster once (see the cost above). */
export async function observeClusterState(
  api: FleetApi,
  opts: ObserveClusterOptions = {},
): Promise<ClusterObservation> {
  const { signal } = opts;
  const units = await api.listUnits({ signal });
  const observation: ClusterObservation = { units, states: [] };
  if (opts.services) {
    const wanted = new Set(opts.services);
    const scheduled = units.filter((u) => {
      const p = parseUnitName(u.name);
      return wanted.has(p.prefix) && p.type === 'service' && !p.isTemplate;
    });
    observation.services = [...wanted];
    observation.states = await readStatesOf(api, scheduled, launchedIn(units), {
      ...(signal ? { signal } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    });
  } else {
    observation.states = await api.listUnitStates({}, { signal });
  }
  if (opts.machines !== false) observation.machines = await api.listMachines({ signal });
  const version = await api.serverVersion({ signal });
  if (version !== undefined) observation.serverVersion = version;
  return observation;
}

/** Units that may have a `/state` entry (desiredState not inactive): prices the `/state` listing. */
export function launchedIn(units: readonly Unit[]): number {
  return units.reduce((n, u) => (u.desiredState === 'inactive' ? n : n + 1), 0);
}

/**
 * The `/state` entries of `units`, the cheaper way: one `GET /state?unitName=` each, or the
 * listing's ⌊launched / 100⌋ + 1 pages (`launched`: units in the cluster that may have an entry).
 */
export async function readStatesOf(
  api: FleetApi,
  units: readonly Unit[],
  launched: number,
  opts: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<UnitState[]> {
  const { signal } = opts;
  if (listingPages(launched) < units.length) {
    const names = new Set(units.map((u) => u.name));
    return (await api.listUnitStates({}, { signal })).filter(
      (st) => st.name !== undefined && names.has(st.name),
    );
  }
  return (
    await mapLimit(units, opts.concurrency ?? 8, (u) => api.listUnitStates({ unitName: u.name }, { signal }))
  ).flat();
}

/** Pure: one service's snapshot from an observation. Throws when the observation left out its `/state`. */
export function snapshotOf(observation: ClusterObservation, service: string): ClusterSnapshot {
  if (observation.services && !observation.services.includes(service))
    throw new RangeError(
      `snapshotOf: the observation read /state only for ${observation.services.join(', ')}, not ${service}`,
    );
  const units = observation.units.filter((u) => isServiceUnit(service, u.name));
  const names = new Set(units.map((u) => u.name));
  const snapshot: ClusterSnapshot = {
    service,
    units,
    states: observation.states.filter((s) => s.name !== undefined && names.has(s.name)),
  };
  if (observation.machines) snapshot.machines = observation.machines;
  if (observation.serverVersion !== undefined) snapshot.serverVersion = observation.serverVersion;
  const lockName = lockUnitName(service);
  const recordName = recordUnitName(service);
  const lock = parseLock(observation.units.find((u) => u.name === lockName));
  const record = parseRecord(observation.units.find((u) => u.name === recordName));
  if (lock) snapshot.lock = lock;
  if (record) snapshot.record = record;
  return snapshot;
}

/** Run `fn` over `items`, at most `limit` at once; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
