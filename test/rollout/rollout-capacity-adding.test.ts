/**
 * Capacity-adding steps (creating new indexes, starting new-hash instances that are not running)
 * take nothing down, so they are not paced by maxUnavailable + maxSurge: like fleet, a fresh
 * create launches every instance together. `maxParallel` bounds how many steps are in flight.
 */
import {
  InstanceFailedError,
  RolloutAbortedError,
  type RolloutEvent,
  type RolloutResult,
  rollout,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BAD,
  BAD_FAILS,
  FAST,
  H1,
  type Harness,
  harness,
  runningWith,
  serviceUnits,
  V1,
} from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const instanceSteps = (events: RolloutEvent[]) =>
  events.filter(
    (e): e is Extract<RolloutEvent, { type: 'step-started' | 'step-finished' | 'step-failed' }> =>
      (e.type === 'step-started' || e.type === 'step-finished' || e.type === 'step-failed') &&
      e.step.role === 'instance',
  );

/** Most instance steps in flight at once, from the step events. */
function peakInFlight(events: RolloutEvent[]): number {
  let now = 0;
  let peak = 0;
  for (const e of instanceSteps(events)) {
    now += e.type === 'step-started' ? 1 : -1;
    peak = Math.max(peak, now);
  }
  return peak;
}

const started = (events: RolloutEvent[]) =>
  instanceSteps(events)
    .filter((e) => e.type === 'step-started')
    .map((e) => e.step.unit);

const names = (n: number) => Array.from({ length: n }, (_, k) => `web@${k + 1}.service`);

describe('capacity-adding steps run together', () => {
  it('a fresh create of 4 launches all four before any is healthy (maxUnavailable 1)', async () => {
    h = await harness();
    const result = await rollout(
      { service: 'web', unitFile: V1, count: 4, maxUnavailable: 1, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.added).toEqual(names(4));
    expect(runningWith(h.sim, 'web', H1)).toEqual(names(4));
    const plan = h.events.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.plan.steps.map((s) => [s.batch, s.unit])).toEqual([
      [1, 'web@.service'],
      ...names(4).map((n) => [2, n]),
    ]);
    expect(started(h.events)).toEqual(names(4));
    const firstHealthy = h.events.findIndex((e) => e.type === 'instance-healthy');
    const lastStart = h.events.findLastIndex((e) => e.type === 'step-started');
    expect(lastStart).toBeLessThan(firstHealthy);
    expect(peakInFlight(h.events)).toBe(4);
  });

  it('maxParallel bounds the steps in flight; the rest start, in index order, as others finish', async () => {
    h = await harness();
    const result = await rollout(
      { service: 'web', unitFile: V1, count: 5, maxParallel: 2, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(result.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H1)).toEqual(names(5));
    expect(started(h.events)).toEqual(names(5));
    expect(peakInFlight(h.events)).toBe(2);
  });

  it('abort in a capacity-adding batch: the steps in flight finish, no further step starts; a rerun adds the rest', async () => {
    h = await harness();
    const controller = new AbortController();
    const error = await rollout(
      { service: 'web', unitFile: V1, count: 5, maxParallel: 2, ...FAST },
      {
        api: h.api,
        clock: h.clock,
        signal: controller.signal,
        onEvent: (e) => {
          h?.events.push(e);
          if (e.type === 'step-started' && e.step.unit === 'web@2.service') controller.abort();
        },
      },
    ).then(
      () => undefined,
      (e: unknown) => e as RolloutAbortedError & { result: RolloutResult },
    );
    expect(error).toBeInstanceOf(RolloutAbortedError);
    expect(error?.completedSteps.map((s) => s.unit)).toEqual(['web@.service', ...names(2)]);
    expect(h.events.find((e) => e.type === 'abort-requested')).toMatchObject({ inFlight: names(2) });
    expect(started(h.events)).toEqual(names(2));
    expect(runningWith(h.sim, 'web', H1)).toEqual(names(2));
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter((n) => /@\d/.test(n))).toEqual(names(2));

    const done = await rollout(
      { service: 'web', unitFile: V1, count: 5, maxParallel: 2, ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(done.unchanged).toEqual(names(2));
    expect(done.added).toEqual(['web@3.service', 'web@4.service', 'web@5.service']);
    expect(runningWith(h.sim, 'web', H1)).toEqual(names(5));
  });

  it('a failing new version: after the first failure no further create starts (abort policy)', async () => {
    h = await harness({ faults: [BAD_FAILS] });
    const error = await rollout(
      { service: 'web', unitFile: BAD, count: 6, maxParallel: 2, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    ).then(
      () => undefined,
      (e: unknown) => e as InstanceFailedError & { result: RolloutResult },
    );
    expect(error).toBeInstanceOf(InstanceFailedError);
    expect(error?.result.outcome).toBe('failed');
    // the two in flight when the first failed finish (fail too); nothing further was created
    expect(started(h.events)).toEqual(names(2));
    expect(Object.keys(serviceUnits(h.sim, 'web')).filter((n) => /@\d/.test(n))).toEqual(names(2));
  });
});
