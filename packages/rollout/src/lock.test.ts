// The lock against a real simulator on loopback, on a manual clock. Defect 7 (issue 11): after a
// SIGKILL the dead holder's lock blocked reruns for up to its TTL; a caller that can tell the holder
// is dead (same host, pid gone) takes it over at once.
import { createFleetClient, type FleetApi } from '@fleet-service/fleet-client';
import { type FleetSim, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRolloutError, ROLLOUT_ERROR_CODES } from './errors.js';
import type { RolloutEvent } from './events.js';
import { type AcquireOptions, acquireLock, lockState, lockToOptions, parseLock } from './lock.js';
import { lockUnitName } from './reserved-units.js';
import type { LockInfo } from './snapshot.js';

const T0 = 1_700_000_000_000;
let sim: FleetSim;
let api: FleetApi;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(T0, { autoAdvance: true });
  sim = await startFleetSim({ clock, machines: 1, seed: 1 });
  api = createFleetClient({ endpoint: sim.endpoint, clock });
});
afterEach(async () => {
  await sim.close();
});

/** A lock left behind by a process that died (SIGKILL): unexpired, never released. */
async function leftBehind(): Promise<LockInfo> {
  const dead: LockInfo = {
    owner: 'ann@box',
    host: 'box',
    pid: 4242,
    start: T0,
    expiry: T0 + 60_000,
    token: 'dead',
  };
  await api.createUnit({
    name: lockUnitName('web'),
    options: lockToOptions('web', dead),
    desiredState: 'inactive',
  });
  return dead;
}

function take(extra: Partial<AcquireOptions> = {}) {
  const events: RolloutEvent[] = [];
  const handle = acquireLock(api, clock, 'web', {
    owner: 'bob@box',
    host: 'box',
    pid: 7,
    settleMs: 10,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { handle, events };
}

describe('acquireLock and a dead holder (defect 7)', () => {
  it('takes over an unexpired lock whose holder is provably dead, saying from whom and why', async () => {
    const dead = await leftBehind();
    const seen: LockInfo[] = [];
    const { handle, events } = take({
      isHolderAlive: (holder) => {
        seen.push(holder);
        return false;
      },
    });
    const lock = await handle;
    expect(seen).toEqual([dead]);
    expect(lock.info).toMatchObject({ owner: 'bob@box', host: 'box', pid: 7 });
    expect(events.find((e) => e.type === 'lock-acquired')).toMatchObject({
      type: 'lock-acquired',
      service: 'web',
      stolenFrom: dead,
      takeover: 'holder-dead',
    });
    const now = parseLock(await api.getUnit(lockUnitName('web')));
    expect(now?.token).toBe(lock.info.token);
    await lock.release();
    expect(await api.getUnit(lockUnitName('web'))).toBeUndefined();
  });

  it.each<[string, AcquireOptions['isHolderAlive']]>([
    ['no predicate', undefined],
    ['a holder that lives', () => true],
    [
      'a predicate that throws',
      () => {
        throw new Error('cannot tell');
      },
    ],
  ])('keeps refusing an unexpired lock with %s', async (_name, isHolderAlive) => {
    await leftBehind();
    const error = await take(isHolderAlive ? { isHolderAlive } : {}).handle.catch((e: unknown) => e);
    expect(isRolloutError(error, ROLLOUT_ERROR_CODES.lockHeld)).toBe(true);
    expect(parseLock(await api.getUnit(lockUnitName('web')))?.token).toBe('dead');
  });

  it('an expired lock is taken over without asking, with takeover "expired"', async () => {
    const dead = await leftBehind();
    await clock.sleep(60_001);
    let asked = false;
    const { handle, events } = take({
      isHolderAlive: () => {
        asked = true;
        return true;
      },
    });
    const lock = await handle;
    expect(asked).toBe(false);
    expect(events.find((e) => e.type === 'lock-acquired')).toMatchObject({
      stolenFrom: dead,
      takeover: 'expired',
    });
    await lock.release();
  });
});

describe('lockState', () => {
  it('says held until the expiry, expired from then on', () => {
    const info: LockInfo = { owner: 'a', host: 'h', pid: 1, start: 0, expiry: 1_000, token: 't' };
    expect(lockState(info, 999)).toBe('held');
    expect(lockState(info, 1_000)).toBe('expired');
    expect(lockState(info, 5_000)).toBe('expired');
  });
});

describe('lock checks (issue 14)', () => {
  it('verify reads the lock at most once per check period, and again once it has passed', async () => {
    const lock = await take({ checkEveryMs: 5_000 }).handle;
    const gets = () =>
      sim.cluster.requests.filter((r) => r.method === 'GET' && r.path.includes('fs-lock')).length;
    const before = gets();
    await lock.verify();
    await lock.verify();
    expect(gets()).toBe(before);
    await clock.advance(5_001);
    await lock.verify();
    expect(gets()).toBeGreaterThan(before);
    await lock.release();
  });
});
