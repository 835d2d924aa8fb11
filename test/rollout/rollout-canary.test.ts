/**
 * Canaries on the simulator (issue 20): the new contents on extra indexes beside the N serving
 * instances, outcome `canary`; promote after a pause, auto-promote, rollback of a canary, and a
 * failing canary under each failure policy. Capacity: the old N never drop.
 */
import {
  describeService,
  NoCanaryError,
  observeCluster,
  PausedError,
  planRollout,
  promoteService,
  RolledBackError,
  type RolloutResult,
  rollbackService,
  rollout,
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

const OLD = ['web@1.service', 'web@2.service', 'web@3.service'];

const seeded = seededWeb;

const oldOnesUntouched = (x: Harness, from: number) => {
  expect(runningWith(x.sim, 'web', H1)).toEqual(OLD);
  // no old instance was ever down: the canary only adds
  const old = (name: string) => OLD.includes(name);
  expect(x.sim.cluster.timeline.minActive(old, from)).toBe(3);
};

describe('canary', () => {
  it('plans the canary beside the N serving instances, and stops there', async () => {
    h = await seeded();
    const plan = planRollout(
      { service: 'web', unitFile: V2, canary: 2, ...FAST },
      await observeCluster(h.api, 'web'),
    );
    expect(plan.steps.map((s) => [s.batch, s.action, s.role, s.unit])).toEqual([
      [1, 'create', 'canary', 'web@4.service'],
      [1, 'create', 'canary', 'web@5.service'],
    ]);
    expect(plan.canary).toEqual({ count: 2, units: ['web@4.service', 'web@5.service'] });
    expect(plan.unchanged).toEqual(OLD);
    expect(plan.count).toBe(3);
  });

  it('success: outcome canary, the record and describeService show it; promote after a pause', async () => {
    h = await seeded();
    const from = h.clock.now();
    const result = await rollout(
      { service: 'web', unitFile: V2, canary: 1, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(result.outcome).toBe('canary');
    expect(result.canaries).toEqual(['web@4.service']);
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@4.service']);
    oldOnesUntouched(h, from);
    expect(serviceUnits(h.sim, 'web')['web@.service']).toBe(H1); // the template keeps the old contents
    expect(h.events.find((e) => e.type === 'canary-ready')).toMatchObject({ units: ['web@4.service'] });
    const status = await describeService(h.api, 'web', { clock: h.clock });
    expect(status.lastRollout).toMatchObject({ status: 'canary', hash: H2, count: 3 });
    expect(status.canaries).toEqual(['web@4.service']);

    // look at it for a while, then promote
    await h.clock.advance(10 * 60_000);
    h.events.length = 0;
    const promoted = await promoteService('web', {
      api: h.api,
      clock: h.clock,
      onEvent: h.onEvent,
      spec: { ...FAST },
    });
    expect(promoted.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(OLD);
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter(instancesOf('web')).sort()).toEqual(OLD);
    const plan = h.events.find((e) => e.type === 'plan');
    const destroyCanary = plan?.type === 'plan' && plan.plan.steps.find((s) => s.unit === 'web@4.service');
    expect(destroyCanary).toMatchObject({ action: 'destroy', role: 'canary', reason: 'canary-done' });
    // removed last, after every instance runs the new contents
    expect(destroyCanary && plan?.type === 'plan' && destroyCanary.batch).toBe(
      plan?.type === 'plan' ? plan.plan.summary.batches : -1,
    );
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(3);
    const after = await describeService(h.api, 'web', { clock: h.clock });
    expect(after.lastRollout).toMatchObject({ status: 'succeeded', hash: H2, count: 3 });
    expect(after.canaries ?? []).toEqual([]);
  });

  it('auto-promote: the canaries stay healthy for the duration, then the rest rolls out', async () => {
    h = await seeded();
    const from = h.clock.now();
    const result = await rollout(
      { service: 'web', unitFile: V2, canary: 1, canaryAutoPromoteMs: 30_000, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(result.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(OLD);
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter(instancesOf('web')).sort()).toEqual(OLD);
    const watch = h.events.find((e) => e.type === 'step-finished' && e.step.action === 'watch');
    expect(watch?.type === 'step-finished' && watch.durationMs).toBeGreaterThanOrEqual(30_000);
    // the first old instance went down only after the watch
    const firstReplace = h.events.find(
      (e) => e.type === 'step-started' && e.step.action === 'replace' && e.step.role === 'instance',
    );
    expect(firstReplace && watch && firstReplace.time).toBeGreaterThanOrEqual(watch?.time ?? Infinity);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(3);
  });

  it('rollback of a canary destroys the canaries and leaves the old version untouched', async () => {
    h = await seeded();
    const from = h.clock.now();
    await rollout({ service: 'web', unitFile: V2, canary: 2, ...FAST }, { api: h.api, clock: h.clock });
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@4.service', 'web@5.service']);
    const back = await rollbackService('web', { api: h.api, clock: h.clock, spec: { ...FAST } });
    expect(back.outcome).toBe('succeeded');
    expect(back.replaced).toEqual([]);
    expect(back.completedSteps.map((s) => [s.action, s.unit])).toEqual([
      ['destroy', 'web@5.service'],
      ['destroy', 'web@4.service'],
    ]);
    oldOnesUntouched(h, from);
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter(instancesOf('web')).sort()).toEqual(OLD);
    await expect(promoteService('web', { api: h.api, clock: h.clock })).rejects.toBeInstanceOf(NoCanaryError);
  });

  it('promote without a canary is refused (NoCanaryError) and changes nothing', async () => {
    h = await seeded();
    const before = h.sim.cluster.counters().mutations;
    const error = await promoteService('web', { api: h.api, clock: h.clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCanaryError);
    expect((error as NoCanaryError).code).toBe('ERR_ROLLOUT_NO_CANARY');
    expect(h.sim.cluster.counters().mutations).toBe(before);
  });

  it('a failing canary, abort: fails, the old version keeps serving untouched', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout({ service: 'web', unitFile: BAD, canary: 1, ...FAST }, { api: h.api, clock: h.clock }),
    );
    expect(error.result.outcome).toBe('failed');
    oldOnesUntouched(h, from);
    expect(serviceUnits(h.sim, 'web')['web@4.service']).toBe(HBAD);
  });

  it('a failing canary, pause: PausedError, the old version untouched', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, canary: 1, onFailure: 'pause', ...FAST },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(PausedError);
    expect(error.result.outcome).toBe('paused');
    oldOnesUntouched(h, from);
  });

  it('a failing canary, rollback: the canary is destroyed, the old version untouched', async () => {
    h = await seeded();
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, canary: 1, onFailure: 'rollback', ...FAST },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(error.result.outcome).toBe('rolled-back');
    expect(error.result.rolledBack).toEqual([]);
    oldOnesUntouched(h, from);
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter(instancesOf('web')).sort()).toEqual(OLD);
  });

  it('a canary on a new service is left out (nothing to compare with), with a note', async () => {
    h = await harness();
    const plan = planRollout(
      { service: 'web', unitFile: V1, count: 2, canary: 1, ...FAST },
      await observeCluster(h.api, 'web'),
    );
    expect(plan.canary).toBeUndefined();
    expect(plan.notes.join('\n')).toMatch(/canary left out/);
    expect(plan.steps.some((s) => s.role === 'canary')).toBe(false);
  });

  it('auto-promote: a canary that stops being healthy while watched fails the run (rollback: it is destroyed, nothing else changed)', async () => {
    h = await seededWeb();
    const from = h.clock.now();
    // web@4 with version 2 runs fine past the stability window, then fails 10 s in
    h.sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { name: 'web@4.service', option: { name: 'Environment', value: 'VERSION=2' } },
      after: 10_000,
    });
    const error = await failing(
      rollout(
        {
          service: 'web',
          unitFile: V2,
          canary: 1,
          canaryAutoPromoteMs: 60_000,
          onFailure: 'rollback',
          ...FAST,
        },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(String((error.cause as Error).message)).toMatch(
      /web@4.service failed: canary stopped being healthy while watched/,
    );
    expect(h.events.some((e) => e.type === 'step-started' && e.step.role === 'instance')).toBe(false);
    oldOnesUntouched(h, from);
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter(instancesOf('web')).sort()).toEqual(OLD);
  });
});
