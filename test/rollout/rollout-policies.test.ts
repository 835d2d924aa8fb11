import {
  InstanceFailedError,
  PausedError,
  RolledBackError,
  type RolloutResult,
  recordUnitName,
  rollout,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BAD,
  BAD_FAILS,
  FAST,
  H1,
  H2,
  type Harness,
  HBAD,
  harness,
  instancesOf,
  runningWith,
  serviceUnits,
  V1,
  V2,
} from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ALL = ['web@1.service', 'web@2.service', 'web@3.service'];

async function seeded(): Promise<Harness> {
  const x = await harness({ faults: [BAD_FAILS] });
  await rollout({ service: 'web', unitFile: V1, count: 3, ...FAST }, { api: x.api, clock: x.clock });
  return x;
}

async function failing(p: Promise<RolloutResult>): Promise<Error & { result: RolloutResult }> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { result: RolloutResult };
}

describe('failure policies', () => {
  it('abort (default): fails at once on systemd failed, leaves the old instances serving', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, count: 3, ...FAST },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(InstanceFailedError);
    expect((error as unknown as InstanceFailedError).unit).toBe('web@1.service');
    expect(error.message).toMatch(/web@1\.service failed: systemd reports failed/);
    expect(error.result.outcome).toBe('failed');
    // failed at once: well before the 60 s healthy timeout
    expect(h.clock.now() - from).toBeLessThan(20_000);
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@2.service', 'web@3.service']);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
    expect(h.events.some((e) => e.type === 'instance-failed' && e.unit === 'web@1.service')).toBe(true);
    expect(h.events.at(-1)?.type).toBe('done');
    expect(Object.isFrozen(h.events[0])).toBe(true);
    expect(h.sim.cluster.units().find((u) => u.name === 'web.fs-lock.service')).toBeUndefined();
  });

  it('pause: reports paused; rerunning with a good version resumes and finishes', async () => {
    h = await seeded();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, count: 3, ...FAST, onFailure: 'pause' },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(PausedError);
    expect(error.cause).toBeInstanceOf(InstanceFailedError);
    expect(error.result.outcome).toBe('paused');
    const record = h.sim.cluster.units().find((u) => u.name === recordUnitName('web'));
    expect(record?.options.find((o) => o.name === 'Status')?.value).toBe('paused');
    const done = await rollout(
      { service: 'web', unitFile: V2, count: 3, ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(done.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
  });

  it('rollback: the previous contents go back on every replaced instance', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, count: 3, ...FAST, onFailure: 'rollback' },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(error.result.outcome).toBe('rolled-back');
    expect(error.result.hash).toBe(H1);
    expect(runningWith(h.sim, 'web', H1)).toEqual(ALL);
    const units = serviceUnits(h.sim, 'web');
    expect(units['web@.service']).toBe(H1);
    expect(Object.values(units)).not.toContain(HBAD);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
    expect(h.events.some((e) => e.type === 'rollback-started')).toBe(true);
  });

  it('rollback of a brand-new service tears it down', async () => {
    h = await harness({ faults: [BAD_FAILS] });
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, count: 2, ...FAST, onFailure: 'rollback' },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(Object.keys(serviceUnits(h.sim, 'web'))).toEqual([recordUnitName('web')]);
  });

  it('rollback with surge keeps N running and removes the spare', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, count: 3, ...FAST, maxSurge: 1, onFailure: 'rollback' },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(runningWith(h.sim, 'web', H1)).toEqual(ALL);
    expect(Object.keys(serviceUnits(h.sim, 'web')).sort()).toEqual([
      'web.fs-record.service',
      'web@.service',
      ...ALL,
    ]);
    // the spare failed too (bad version), so during the failing batch 3 old ones kept serving
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(3);
  });
});
