/**
 * observeCluster: the snapshot of one service.
 *
 * Cost: fleet has no name filter on `GET /units`, so this makes the rollout's ONE whole-cluster
 * read (`listUnits`, every page) — once per rollout, never per poll. Everything else is per unit of
 * the service: `GET /state?unitName=` for each of its units (O(service), not O(cluster)), plus one
 * `GET /machines` and the cached server version.
 */
import type { FleetApi, Unit, UnitState } from '@fleet-service/fleet-client';
import { parseUnitName } from './fleet-helpers.js';
import { parseLock } from './lock.js';
import { parseRecord } from './record.js';
import { lockUnitName, recordUnitName } from './reserved-units.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface ObserveOptions {
  signal?: AbortSignal;
  /** Parallel `/state?unitName=` requests. @default 8 */
  concurrency?: number;
  /** Also read `/machines`. @default true */
  machines?: boolean;
}

/** Is `unit` one of the service's own units (template, instance, `S.service`)? */
export function isServiceUnit(service: string, name: string): boolean {
  const p = parseUnitName(name);
  return p.prefix === service && p.type === 'service';
}

export async function observeCluster(
  api: FleetApi,
  service: string,
  opts: ObserveOptions = {},
): Promise<ClusterSnapshot> {
  const { signal } = opts;
  const all = await api.listUnits({ signal });
  return snapshotFromUnits(api, service, all, opts);
}

/** Build the snapshot from an already-read unit list (shared with listServices). */
export async function snapshotFromUnits(
  api: FleetApi,
  service: string,
  all: readonly Unit[],
  opts: ObserveOptions = {},
): Promise<ClusterSnapshot> {
  const { signal } = opts;
  const units = all.filter((u) => isServiceUnit(service, u.name));
  const lock = parseLock(all.find((u) => u.name === lockUnitName(service)));
  const record = parseRecord(all.find((u) => u.name === recordUnitName(service)));
  const scheduled = units.filter((u) => !parseUnitName(u.name).isTemplate);
  const states = (
    await mapLimit(scheduled, opts.concurrency ?? 8, (u) =>
      api.listUnitStates({ unitName: u.name }, { signal }),
    )
  ).flat();
  const snapshot: ClusterSnapshot = { service, units, states };
  if (opts.machines !== false) snapshot.machines = await api.listMachines({ signal });
  const version = await api.serverVersion({ signal });
  if (version !== undefined) snapshot.serverVersion = version;
  if (lock) snapshot.lock = lock;
  if (record) snapshot.record = record;
  return snapshot;
}

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
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

export type { UnitState };
