import { unitHash } from '@fleet-service/fleet-client';
import {
  describeService,
  type HealthCheck,
  InstanceFailedError,
  PausedError,
  RollbackFailedError,
  RolledBackError,
  type RolloutEvent,
  type RolloutResult,
  recordUnitName,
  rollout,
  StateTimeoutError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BAD,
  BAD_FAILS,
  FAST,
  failing,
  H1,
  H2,
  type Harness,
  HBAD,
  harness,
  instancesOf,
  runningWith,
  seededWeb,
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

const seeded = seededWeb;

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

const types = (events: RolloutEvent[]) => events.map((e) => `${e.phase ?? '-'} ${e.type}`);

/** V2 with onFailure=rollback and `check` on every instance. */
const checked = (check: HealthCheck) => ({
  service: 'web',
  unitFile: V2,
  count: 3,
  ...FAST,
  timeouts: { ...FAST.timeouts, healthy: 10_000 },
  onFailure: 'rollback' as const,
  healthChecks: [check],
});

describe('automatic rollback: what it says', () => {
  it('an instance replaced and rolled back is in `replaced` and `rolledBack`; status names the hash rolled back to', async () => {
    h = await seeded();
    const api = h.api;
    // web@2 is unhealthy only while it runs V2: the rollout replaces web@1, fails on web@2
    const check: HealthCheck = {
      kind: 'callback',
      check: async ({ unit }) => {
        if (unit !== 'web@2.service') return true;
        const u = await api.getUnit(unit);
        return unitHash(u?.options ?? []) !== H2;
      },
    };
    const error = await failing(rollout(checked(check), { api, clock: h.clock, onEvent: h.onEvent }));
    expect(error).toBeInstanceOf(RolledBackError);
    expect(error.result.outcome).toBe('rolled-back');
    expect(error.result.hash).toBe(H1);
    // web@1 got V2, then V1 again: counted once in each list
    expect(error.result.replaced).toEqual(['web@1.service']);
    expect(error.result.rolledBack).toEqual(['web@1.service', 'web@2.service']);
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);

    const status = await describeService(api, 'web', { clock: h.clock });
    expect(status.record?.status).toBe('rolled-back');
    expect(status.lastRollout).toEqual({ status: 'rolled-back', hash: H1, count: 3 });
    const finished = h.events.find((e) => e.type === 'rollback-finished');
    expect(finished).toMatchObject({ toHash: H1, rolledBack: ['web@1.service', 'web@2.service'] });
  });

  it('when the rollback fails too: RollbackFailedError with both failures, explicable events, record says so', async () => {
    h = await seeded();
    // the new version fails its health check, and so does the old one when it comes back
    const never: HealthCheck = { kind: 'callback', check: async () => false };
    const error = await failing(rollout(checked(never), { api: h.api, clock: h.clock, onEvent: h.onEvent }));
    expect(error).toBeInstanceOf(RollbackFailedError);
    const failed = error as unknown as RollbackFailedError;
    expect(failed.code).toBe('ERR_ROLLOUT_ROLLBACK_FAILED');
    expect(failed.cause).toBeInstanceOf(StateTimeoutError);
    expect((failed.cause as StateTimeoutError).unit).toBe('web@1.service');
    expect(failed.rollbackError).toBeInstanceOf(StateTimeoutError);
    expect(failed.message).toMatch(
      /rollout of web failed \(.*web@1\.service.*\) and the automatic rollback failed too/,
    );

    const result = error.result;
    expect(result.outcome).toBe('rollback-failed');
    expect(result.hash).toBe(H1);
    expect(result.error?.code).toBe('ERR_ROLLOUT_ROLLBACK_FAILED');
    expect(result.rollbackError).toMatchObject({ code: 'ERR_ROLLOUT_STATE_TIMEOUT', unit: 'web@1.service' });
    expect(result.replaced).toEqual([]);
    expect(result.rolledBack).toEqual([]);

    // the second plan is the rollback's: announced, marked, and ended with how it went
    const seq = types(h.events).filter((t) => !/state-observed|lock-/.test(t));
    const start = seq.indexOf('- rollback-started');
    expect(start).toBeGreaterThan(0);
    expect(seq[start + 1]).toBe('rollback plan');
    expect(seq.slice(-2)).toEqual(['- rollback-failed', '- done']);
    const plans = h.events.filter((e) => e.type === 'plan');
    expect(plans.map((e) => e.phase)).toEqual([undefined, 'rollback']);
    const between = h.events.slice(
      h.events.findIndex((e) => e.type === 'rollback-started') + 1,
      h.events.findIndex((e) => e.type === 'rollback-failed'),
    );
    for (const e of between)
      if (!e.type.startsWith('lock-')) expect(e.phase, `${e.type} in the rollback`).toBe('rollback');
    const started = h.events.find((e) => e.type === 'rollback-started');
    expect(started).toMatchObject({ toHash: H1, error: { code: 'ERR_ROLLOUT_STATE_TIMEOUT' } });
    const done = h.events.at(-1);
    expect(done?.type === 'done' && done.result.outcome).toBe('rollback-failed');

    const record = h.sim.cluster.units().find((u) => u.name === recordUnitName('web'));
    expect(record?.options.find((o) => o.name === 'Status')?.value).toBe('rollback-failed');
    expect(h.sim.cluster.units().find((u) => u.name === 'web.fs-lock.service')).toBeUndefined();
  });
});
