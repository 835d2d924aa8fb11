/**
 * The per-service lock `S.fs-lock.service`: an inactive unit whose options say who holds it
 * (owner, host, pid, start, expiry, token). fleet has no compare-and-set, so:
 *
 * 1. read the lock; if another holder's lock has not expired (and `steal` is off) → LockHeldError,
 *    unless the caller's `isHolderAlive(holder)` says that holder is provably dead: then it is taken
 *    over at once (the `lock-acquired` event carries `stolenFrom` and `takeover: 'holder-dead'`);
 * 2. write ours (a fresh random token);
 * 3. wait `settleMs`, read it back: if the token is not ours, a concurrent writer won → LockHeldError;
 * 4. while running, re-check (one GET) every `checkEvery` and before a batch when the last check is
 *    older than that, and refresh every ttl/3 (write a new expiry, read back).
 *    A token that is not ours → LockLostError, and the rollout stops before its next batch.
 *
 * Two rollouts that both pass step 1 both write; the later write survives, and both read it back
 * after settling, so exactly one continues. A writer slower than `settleMs` between its read and
 * its write is caught by the other's next re-check (within `checkEvery`), before a batch started later.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Clock, FleetApi, Unit, UnitOption } from '@fleet-service/fleet-client';
import { createConfirmed } from './confirmed-write.js';
import { LockHeldError, LockLostError } from './errors.js';
import { emit, type RolloutEvent } from './events.js';
import { LOCK_SECTION, lockUnitName } from './reserved-units.js';
import type { LockInfo } from './snapshot.js';
import { DEFAULTS } from './spec.js';

export function lockToOptions(service: string, info: LockInfo): UnitOption[] {
  const o = (name: string, value: string | number): UnitOption => ({
    section: LOCK_SECTION,
    name,
    value: String(value),
  });
  return [
    { section: 'Unit', name: 'Description', value: `fs rollout lock for ${service} (do not start)` },
    o('Owner', info.owner),
    o('Host', info.host),
    o('Pid', info.pid),
    o('Start', info.start),
    o('Expiry', info.expiry),
    o('Token', info.token),
  ];
}

export function parseLock(unit: Unit | undefined): LockInfo | undefined {
  if (!unit?.options) return undefined;
  const get = (name: string) =>
    unit.options?.find((x) => x.section === LOCK_SECTION && x.name === name)?.value;
  const token = get('Token');
  const expiry = Number(get('Expiry'));
  if (!token || !Number.isFinite(expiry)) return undefined;
  return {
    owner: get('Owner') ?? '?',
    host: get('Host') ?? '?',
    pid: Number(get('Pid') ?? 0),
    start: Number(get('Start') ?? 0),
    expiry,
    token,
  };
}

/** Why a lock that was there was taken over: it had expired, `steal` was set, or its holder is dead. */
export type LockTakeover = 'expired' | 'steal' | 'holder-dead';

/** Is this lock still held at `now`, or expired (anyone may take it)? Pure; for listings and status. */
export function lockState(info: LockInfo, now: number): 'held' | 'expired' {
  return info.expiry > now ? 'held' : 'expired';
}

export interface AcquireOptions {
  /** Who holds it (e.g. `user@host`), from the caller: the library reads nothing from the process. */
  owner: string;
  /** The caller's host name, shown to others and given to their `isHolderAlive`. */
  host: string;
  /** The caller's process id, shown to others and given to their `isHolderAlive`. */
  pid: number;
  ttlMs?: number;
  steal?: boolean;
  settleMs?: number;
  /**
   * Whether the holder of an unexpired lock still lives; `false` (provably dead, e.g. same host and
   * its pid is gone) takes the lock over at once. A predicate that throws counts as "alive".
   * @default none: an unexpired lock is held until it expires
   */
  isHolderAlive?: (holder: LockInfo) => boolean;
  /** How often the holder re-reads the lock while running (and at most how often before a batch). @default min(ttl/3, 5_000) */
  checkEveryMs?: number;
  signal?: AbortSignal;
  onEvent?: (e: RolloutEvent) => void;
}

/** A held lock. */
export interface LockHandle {
  readonly service: string;
  readonly info: LockInfo;
  /** Set once the lock was found taken over. */
  readonly lost: LockLostError | undefined;
  /** Aborted (reason: LockLostError) as soon as the lock is found taken over; cancels the holder's waits. */
  readonly signal: AbortSignal;
  /** Read the lock back; throws LockLostError when it is no longer ours. */
  verify(): Promise<void>;
  /** Stop refreshing and delete the lock if it is still ours. Never throws. */
  release(): Promise<void>;
}

/** Why `existing` may be taken over now, or `undefined` when it is held (expired wins over steal). */
function takeoverReason(existing: LockInfo, now: number, o: AcquireOptions): LockTakeover | undefined {
  if (lockState(existing, now) === 'expired') return 'expired';
  if (o.steal) return 'steal';
  if (!o.isHolderAlive) return undefined;
  let alive = true;
  try {
    alive = o.isHolderAlive(existing) !== false;
  } catch {
    // cannot tell: the holder counts as alive
  }
  return alive ? undefined : 'holder-dead';
}

export async function acquireLock(
  api: FleetApi,
  clock: Clock,
  service: string,
  o: AcquireOptions,
): Promise<LockHandle> {
  const name = lockUnitName(service);
  const ttl = o.ttlMs ?? DEFAULTS.lockTtlMs;
  const read = async () => parseLock(await api.getUnit(name, { signal: o.signal }));

  const existing = await read();
  const now = clock.now();
  const takeover = existing ? takeoverReason(existing, now, o) : undefined;
  if (existing && takeover === undefined) throw new LockHeldError(service, existing);

  let info: LockInfo = {
    owner: o.owner,
    host: o.host,
    pid: o.pid,
    start: now,
    expiry: now + ttl,
    token: randomUUID(),
  };
  const write = (i: LockInfo) =>
    createConfirmed(api, { name, options: lockToOptions(service, i), desiredState: 'inactive' });
  let back: LockInfo | undefined;
  try {
    await write(info);
    await clock.sleep(o.settleMs ?? DEFAULTS.lockSettleMs, o.signal);
    back = await read();
  } catch (error) {
    // the write's answer was lost or garbled (fleet may have stored it), or aborted while
    // settling: take our write back if it is there, so no lock of a run that never started is left
    const mine = info.token;
    await (async () => {
      const cur = parseLock(await api.getUnit(name));
      if (cur?.token === mine) await api.destroyUnit(name, { ignoreNotFound: true });
    })().catch(() => {});
    throw error;
  }
  if (back?.token !== info.token) {
    if (back) throw new LockHeldError(service, back, ' (another rollout wrote the lock at the same time)');
    throw new LockLostError(service, undefined);
  }
  emit(o.onEvent, clock.now(), {
    type: 'lock-acquired',
    service,
    lock: info,
    ...(existing && takeover ? { stolenFrom: existing, takeover } : {}),
  });

  let lost: LockLostError | undefined;
  const stop = new AbortController();
  const lostController = new AbortController();
  setMaxListeners(0, lostController.signal); // every wait of a batch listens to it
  const markLost = (holder: LockInfo | undefined) => {
    if (lost) return lost;
    lost = new LockLostError(service, holder);
    emit(o.onEvent, clock.now(), { type: 'lock-lost', service, ...(holder ? { holder } : {}) });
    lostController.abort(lost);
    return lost;
  };
  /** Clock ms of the last read-back that found the lock ours. */
  let checkedAt = clock.now();
  const check = async () => {
    if (lost) throw lost;
    const cur = parseLock(await api.getUnit(name));
    if (cur?.token !== info.token) throw markLost(cur);
    checkedAt = clock.now();
  };

  // Re-check often (one GET), rewrite the expiry every ttl/3.
  const checkEvery = Math.max(1, Math.min(Math.floor(ttl / 3), o.checkEveryMs ?? 5_000));
  const refresher = (async () => {
    while (!stop.signal.aborted && !lost) {
      await clock.sleep(checkEvery, stop.signal).catch(() => {});
      if (stop.signal.aborted || lost) return;
      try {
        await check();
        if (info.expiry - clock.now() > ttl - ttl / 3) continue;
        info = { ...info, expiry: clock.now() + ttl };
        await write(info);
        emit(o.onEvent, clock.now(), { type: 'lock-refreshed', service, expiry: info.expiry });
      } catch {
        // lost → recorded; transient errors → the next refresh retries (the ttl allows two misses)
      }
    }
  })();

  return {
    service,
    get info() {
      return info;
    },
    get lost() {
      return lost;
    },
    signal: lostController.signal,
    // one read per refresh period, not per batch: a batch starting within `checkEvery` of the
    // last read-back relies on it (the refresher reads again within `checkEvery` anyway)
    verify: async () => {
      if (lost) throw lost;
      if (clock.now() - checkedAt < checkEvery) return;
      await check();
    },
    async release() {
      stop.abort();
      await refresher;
      try {
        const cur = parseLock(await api.getUnit(name));
        if (cur?.token === info.token) {
          await api.destroyUnit(name, { ignoreNotFound: true });
          emit(o.onEvent, clock.now(), { type: 'lock-released', service });
        }
      } catch {
        // the lock expires by itself
      }
    },
  };
}
