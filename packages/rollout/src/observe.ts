/**
 * observeCluster: the snapshot of one service, a thin wrapper over one cluster observation
 * (cluster-observation.ts) that reads `/state` only for the service's own units. Cost: one
 * whole-cluster `GET /units` listing (fleet has no name filter) — once per rollout, never per
 * poll — plus one `GET /state?unitName=` per unit of the service, one `GET /machines` and the cached
 * server version.
 */
import type { FleetApi } from '@fleet-service/fleet-client';
import { observeClusterState, snapshotOf } from './cluster-observation.js';
import type { ClusterSnapshot } from './snapshot.js';

export interface ObserveOptions {
  signal?: AbortSignal;
  /** Parallel `/state?unitName=` requests. @default 8 */
  concurrency?: number;
  /** Also read `/machines`. @default true */
  machines?: boolean;
}

export async function observeCluster(
  api: FleetApi,
  service: string,
  opts: ObserveOptions = {},
): Promise<ClusterSnapshot> {
  return snapshotOf(await observeClusterState(api, { ...opts, services: [service] }), service);
}

/** The service's units, record and lock from one `GET /units` listing: no `/state`, no machines (its `states` are empty). */
export async function observeUnits(
  api: FleetApi,
  service: string,
  signal?: AbortSignal,
): Promise<ClusterSnapshot> {
  return snapshotOf({ units: await api.listUnits({ signal }), states: [], services: [service] }, service);
}
