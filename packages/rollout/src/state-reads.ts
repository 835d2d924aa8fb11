/**
 * Shared `/state` reads for every wait in flight. The waits poll on a common grid (wait.ts
 * `nextOnGrid`), so the polls of concurrent waits fall in the same event-loop turn; this wrapper
 * gathers the `GET /state?unitName=` reads asked for in one turn and answers them all with
 * whichever costs fewer requests:
 *
 * - one read per unit (k requests for k units), or
 * - one `GET /state` listing (⌊states / 100⌋ + 1 pages: fleet has no filter for a set of names),
 *   when the cluster's size is known and its pages are fewer than the units asked for.
 *
 * Every answer comes from a read that started after it was asked for (never a cached one), so a
 * wait sees exactly what a read of its own would have shown. One exception is handled: fleet's
 * pages are not snapshots (fleet-api.md §5), so a listing of more than one page can skip an entry
 * that moved between pages; a unit such a listing shows no entry for is read again on its own
 * before "absent" is answered (a wait for `gone` must never be told so falsely).
 *
 * Worked example: 1,000 instances, 50 waiting at once, 1,000 states in the cluster: 50 requests
 * per poll interval become 11 (the listing's pages); with 10,000 unrelated units (101 pages) the
 * per-unit reads stay cheaper and are used. Wrapping is idempotent: `fs apply` wraps its client
 * once, so the waits of all its services share one listing.
 */
import type { CallOptions, FleetApi, UnitState, UnitStateFilter } from '@fleet-service/fleet-client';
import { listingPages } from './listing-pages.js';

const SHARED = Symbol('fleet-service.shared-state-reads');

/** Requests made by each way (tests, benches). */
export interface SharedReadStats {
  perUnit: number;
  listingPages: number;
  /** Reads asked for (each answered by one of the two ways). */
  asked: number;
}

export type SharedStateApi = FleetApi & {
  readonly [SHARED]: true;
  readonly sharedReads: SharedReadStats;
  /** Tell it the cluster's size (units or states) when known: prices the listing. */
  noteClusterSize(states: number): void;
};

interface Waiter {
  resolve: (s: UnitState[]) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
}

export function isSharedStateApi(api: FleetApi): api is SharedStateApi {
  return (api as Partial<SharedStateApi>)[SHARED] === true;
}

/**
 * `api` with `listUnitStates({ unitName })` gathered per event-loop turn (see above); every other
 * call passes through. Already wrapped: returned as it is (its size estimate updated).
 */
export function shareStateReads(api: FleetApi, clusterStates?: number): SharedStateApi {
  if (isSharedStateApi(api)) {
    if (clusterStates !== undefined) api.noteClusterSize(clusterStates);
    return api;
  }
  let size = clusterStates;
  let pending = new Map<string, Waiter[]>();
  let scheduled = false;
  const stats: SharedReadStats = { perUnit: 0, listingPages: 0, asked: 0 };

  const settle = (waiters: Waiter[], states: UnitState[]) => {
    for (const w of waiters) w.resolve(states);
  };

  const readOne = async (unit: string, waiters: Waiter[]) => {
    stats.perUnit++;
    // one waiter (the usual case): its own signal; several: cancelled only when all are
    const signal = waiters.length === 1 ? waiters[0]!.signal : undefined;
    try {
      settle(waiters, await api.listUnitStates({ unitName: unit }, signal ? { signal } : {}));
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  };

  const readListing = async (batch: Map<string, Waiter[]>) => {
    let states: UnitState[];
    try {
      states = await api.listUnitStates({});
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      return;
    }
    const pages = listingPages(states.length);
    stats.listingPages += pages;
    size = states.length;
    const byUnit = new Map<string, UnitState[]>();
    for (const s of states) {
      if (!s.name || !batch.has(s.name)) continue;
      const list = byUnit.get(s.name);
      if (list) list.push(s);
      else byUnit.set(s.name, [s]);
    }
    const again: Promise<void>[] = [];
    for (const [unit, waiters] of batch) {
      const found = byUnit.get(unit);
      if (found) settle(waiters, found);
      else if (pages === 1) settle(waiters, []);
      else again.push(readOne(unit, waiters)); // pages are not snapshots: confirm an absence
    }
    await Promise.all(again);
  };

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    if (size !== undefined && listingPages(size) < batch.size) void readListing(batch);
    else for (const [unit, waiters] of batch) void readOne(unit, waiters);
  };

  const listUnitStates = (filter: UnitStateFilter = {}, options: CallOptions = {}): Promise<UnitState[]> => {
    if (!filter.unitName || filter.machineID) return api.listUnitStates(filter, options);
    options.signal?.throwIfAborted();
    stats.asked++;
    const unit = filter.unitName;
    return new Promise<UnitState[]>((resolve, reject) => {
      const { signal } = options;
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      const waiter: Waiter = {
        resolve: (s) => {
          done();
          resolve(s);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        signal,
      };
      const list = pending.get(unit);
      if (list) list.push(waiter);
      else pending.set(unit, [waiter]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  };

  // methods of a class instance: keep `this` the client (a fake may lack some)
  const bound: Record<string, unknown> = {};
  for (const m of PASS_THROUGH) {
    const f = (api as unknown as Record<string, unknown>)[m];
    if (typeof f === 'function') bound[m] = f.bind(api);
  }
  return Object.assign(Object.create(api) as FleetApi, bound, {
    listUnitStates,
    [SHARED]: true as const,
    sharedReads: stats,
    noteClusterSize: (states: number) => {
      size = states;
    },
  }) as SharedStateApi;
}

const PASS_THROUGH = [
  'listUnits',
  'iterateUnits',
  'getUnit',
  'createUnit',
  'setUnitTargetState',
  'destroyUnit',
  'listMachines',
  'patchMachineMetadata',
  'serverVersion',
] as const satisfies readonly (keyof FleetApi)[];
