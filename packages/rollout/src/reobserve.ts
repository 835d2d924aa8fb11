/**
 * Re-observe one service under its lock, before acting on a plan made without it, without listing
 * the whole cluster a second time. The first observation was made without the lock, so what may
 * have changed since is what another rollout did in between, and that rollout wrote the record:
 *
 * - one `GET` of the record; when it differs from the first look (or the first look saw someone
 *   else's lock), another rollout ran in between: observe again in full (`observeCluster`);
 * - otherwise the first look's units stand (a change by a tool that takes no lock is caught by the
 *   drift check before each mutation), and only their `/state` entries are read again — one
 *   `GET /state?unitName=` per scheduled unit, or the `/state` listing when that is fewer pages.
 */
import type { FleetApi } from '@fleet-service/fleet-client';
import { launchedIn, readStatesOf } from './cluster-observation.js';
import { parseUnitName } from './fleet-helpers.js';
import { observeCluster } from './observe.js';
import { readRecord } from './record.js';
import type { ClusterSnapshot, RolloutRecord } from './snapshot.js';

export async function reobserve(
  api: FleetApi,
  service: string,
  before: ClusterSnapshot,
  opts: { signal?: AbortSignal | undefined; clusterUnits: number; machines?: boolean },
): Promise<ClusterSnapshot> {
  const { signal } = opts;
  const record = await readRecord(api, service, signal);
  if (before.lock || !sameRecord(record, before.record))
    return observeCluster(api, service, { ...(signal ? { signal } : {}), machines: opts.machines ?? false });
  const scheduled = before.units.filter((u) => !parseUnitName(u.name).isTemplate);
  // the first look's unrelated units may have entries too: price the listing from the cluster's size
  const launched = Math.max(launchedIn(before.units), opts.clusterUnits);
  const states = await readStatesOf(api, scheduled, launched, signal ? { signal } : {});
  const after: ClusterSnapshot = { ...before, states };
  if (record) after.record = record;
  return after;
}

function sameRecord(a: RolloutRecord | undefined, b: RolloutRecord | undefined): boolean {
  if (!a || !b) return a === b;
  return a.updated === b.updated && a.status === b.status && a.target.hash === b.target.hash;
}
