/**
 * The capacity gate: a plan counts on what ran when it was made; before every take-down the engine
 * re-counts what actually runs (fresh /state reads) and waits rather than go below N − maxUnavailable.
 */
import {
  observeCluster,
  planRollout,
  type RolloutResult,
  runPlan,
  StateTimeoutError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, H1, H2, type Harness, harness, instancesOf, runningWith, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// recreate: the take-down is a DELETE, which the timeline shows as `destroyed`
const spec = (unitFile = V2) => ({
  service: 'web',
  unitFile,
  count: 3,
  maxUnavailable: 1,
  replaceMode: 'recreate' as const,
  ...FAST,
});

/** Three V1 instances, a plan to V2 made while all three ran, then web@3 stopped by someone else. */
async function stalePlan(x: Harness) {
  await runPlan(planRollout(spec(V1), await observeCluster(x.api, 'web')), {
    api: x.api,
    clock: x.clock,
  });
  const plan = planRollout(spec(), await observeCluster(x.api, 'web'));
  expect(plan.steps.map((s) => `${s.action} ${s.unit}`)).toEqual([
    'replace web@.service',
    'replace web@1.service',
    'replace web@2.service',
    'replace web@3.service',
  ]);
  await x.api.setUnitTargetState('web@3.service', 'loaded');
  await x.sim.cluster.waitFor(() => !runningWith(x.sim, 'web', H1).includes('web@3.service'), {
    timeoutMs: 60_000,
  });
  return plan;
}

const firstDestroy = (x: Harness, unit: string, from: number) =>
  x.sim.cluster.timeline.events.find((e) => e.time >= from && e.unit === unit && e.kind === 'destroyed')
    ?.time;

describe('capacity gate', () => {
  it('waits to take web@1 down until an instance that stopped after planning runs again', async () => {
    h = await harness();
    const plan = await stalePlan(h);
    const from = h.clock.now();
    let restartedAt = Number.POSITIVE_INFINITY;
    const restart = h.clock.sleep(20_000).then(async () => {
      await h!.api.setUnitTargetState('web@3.service', 'launched');
      await h!.sim.cluster.waitFor(() => runningWith(h!.sim, 'web', H1).includes('web@3.service'), {
        timeoutMs: 60_000,
      });
      restartedAt = h!.clock.now();
    });
    const result = await runPlan(plan, { api: h.api, clock: h.clock, onEvent: h.onEvent });
    await restart;
    expect(result.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    // without the gate web@1 went down at once, leaving web@2 alone
    expect(firstDestroy(h, 'web@1.service', from)).toBeGreaterThanOrEqual(restartedAt);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), restartedAt)).toBeGreaterThanOrEqual(2);
  });

  it('times out naming the unit and what runs, without taking anything down', async () => {
    h = await harness();
    const plan = await stalePlan(h);
    const from = h.clock.now();
    const error = await runPlan(
      { ...plan, settings: { ...plan.settings, timeouts: { ...plan.settings.timeouts, healthy: 10_000 } } },
      { api: h.api, clock: h.clock },
    ).then(
      () => undefined,
      (e: unknown) => e as StateTimeoutError & { result: RolloutResult },
    );
    expect(error).toBeInstanceOf(StateTimeoutError);
    expect(error?.unit).toBe('web@1.service');
    expect(error?.message).toMatch(/safe to take down \(at least 2 other instances running\)/);
    expect(error?.message).toMatch(/1 other instances running \(web@2\.service\)/);
    expect(error?.result.outcome).toBe('failed');
    expect(firstDestroy(h, 'web@1.service', from)).toBeUndefined();
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@1.service', 'web@2.service']);
  });
});
