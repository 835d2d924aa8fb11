/**
 * The per-service lock `S.fs-lock.service`: an inactive unit whose options say who holds it
 * (owner, host, pid, start, expiry, token). fleet has no compare-and-set, so:
 *
 * 1. read the lock; if another holder's lock has not expired (and `steal` is off) → LockHeldError;
 * 2. write ours (a fresh random token);
 * 3. wait `settleMs`, read it back: if the token is not ours, a concurrent writer won → LockHeldError;
 * 4. while running, re-check before every batch and refresh every ttl/3 (write a new expiry, read back).
 *    A token that is not ours → LockLostError, and the rollout stops before its next batch.
 *
 * Two rollouts that both pass step 1 both write; the later write survives, and both read it back
 * after settling, so exactly one continues. A writer slower than `settleMs` between its read and
 * its write is caught by the other's re-check before that one's next batch.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Clock, FleetApi, Unit, UnitOption } from '@fleet-service/fleet-client';
import { LockHeldError, LockLostError } from './errors.js';
import { emit, type RolloutEvent } from './events.js';
import { LOCK_SECTION, lockUnitName } from './reserved-units.js';
import type { LockInfo } from './snapshot.js';
import { DEFAULTS } from './spec.js';
import { retryTransient } from './wait.js';

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

export interface AcquireOptions {
  owner: string;
  host: string;
  pid: number;
  ttlMs?: number;
  steal?: boolean;
  settleMs?: number;
  /** How often the holder re-reads the lock while running. @default min(ttl/3, 2_000) */
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

export async function acquireLock(
  api: FleetApi,
  clock: Clock,
  service: string,
  o: AcquireOptions,
): Promise<LockHandle> {
  const name = lockUnitName(service);
  const ttl = o.ttlMs ?? DEFAULTS.lockTtlMs;
  const call = <T>(fn: () => Promise<T>) => retryTransient(clock, fn, o.signal);
  const read = async () => parseLock(await call(() => api.getUnit(name, { signal: o.signal })));

  const existing = await read();
  const now = clock.now();
  if (existing && existing.expiry > now && !o.steal) throw new LockHeldError(service, existing);

  let info: LockInfo = {
    owner: o.owner,
    host: o.host,
    pid: o.pid,
    start: now,
    expiry: now + ttl,
    token: randomUUID(),
  };
  const write = (i: LockInfo) =>
    call(() => api.createUnit({ name, options: lockToOptions(service, i), desiredState: 'inactive' }));
  await write(info);
  let back: LockInfo | undefined;
  try {
    await clock.sleep(o.settleMs ?? DEFAULTS.lockSettleMs, o.signal);
    back = await read();
  } catch (error) {
    // aborted while settling: take our write back if it is still there
    const mine = info.token;
    await retryTransient(clock, async () => {
      const cur = parseLock(await api.getUnit(name));
      if (cur?.token === mine) await api.destroyUnit(name, { ignoreNotFound: true });
    }).catch(() => {});
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
    ...(existing && (existing.expiry <= now || o.steal) ? { stolenFrom: existing } : {}),
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
  const check = async () => {
    if (lost) throw lost;
    const cur = parseLock(await call(() => api.getUnit(name)));
    if (cur?.token !== info.token) throw markLost(cur);
  };

  // Re-check often (one GET), rewrite the expiry every ttl/3.
  const checkEvery = Math.max(1, Math.min(Math.floor(ttl / 3), o.checkEveryMs ?? 2_000));
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
    verify: check,
    async release() {
      stop.abort();
      await refresher;
      try {
        const cur = parseLock(await retryTransient(clock, () => api.getUnit(name), undefined, 8));
        if (cur?.token === info.token) {
          await retryTransient(clock, () => api.destroyUnit(name, { ignoreNotFound: true }), undefined, 8);
          emit(o.onEvent, clock.now(), { type: 'lock-released', service });
        }
      } catch {
        // the lock expires by itself
      }
    },
  };
}
