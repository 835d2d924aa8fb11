import {
  DriftError,
  NoRecordError,
  NoSuchServiceError,
  observeCluster,
  planRollout,
  type RolloutResult,
  rollbackService,
  rollout,
  runPlan,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, H2, type Harness, harness, runningWith, V1, V2, version } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('observe → plan → runPlan', () => {
  it('executes a plan computed from an observation, emitting plan … done', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const spec = { service: 'web', unitFile: V2, count: 2, ...FAST };
    const plan = planRollout(spec, await observeCluster(h.api, 'web'));
    expect(plan.steps.map((s) => `${s.action} ${s.unit}`)).toEqual([
      'replace web@.service',
      'replace web@1.service',
      'replace web@2.service',
    ]);
    const result = await runPlan(plan, { api: h.api, clock: h.clock, onEvent: h.onEvent });
    expect(result.outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service']);
    expect(h.events[0]?.type).toBe('plan');
    expect(h.events.at(-1)?.type).toBe('done');
    expect(() => JSON.stringify(h!.events)).not.toThrow();
  });

  it('fails with DriftError when a unit changed after planning, before touching it', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const plan = planRollout(
      { service: 'web', unitFile: V2, count: 2, ...FAST },
      await observeCluster(h.api, 'web'),
    );
    const other = version('someone-else');
    await h.api.createUnit({ name: 'web@2.service', options: other, desiredState: 'launched' });
    const error = await runPlan(plan, { api: h.api, clock: h.clock }).then(
      () => undefined,
      (e: unknown) => e as DriftError & { result: RolloutResult },
    );
    expect(error).toBeInstanceOf(DriftError);
    expect(error?.unit).toBe('web@2.service');
    expect(error?.message).toMatch(/web@2\.service changed since the plan was made/);
    expect(error?.result.completedSteps.map((s) => s.unit)).toEqual(['web@.service', 'web@1.service']);
  });

  it('rollbackService without a record says so; with one it toggles back', async () => {
    h = await harness();
    expect(
      await rollbackService('web', { api: h.api, clock: h.clock }).catch((e: unknown) => e),
    ).toBeInstanceOf(NoSuchServiceError);
    await h.api.createUnit({ name: 'web@1.service', options: V1, desiredState: 'launched' });
    expect(
      await rollbackService('web', { api: h.api, clock: h.clock }).catch((e: unknown) => e),
    ).toBeInstanceOf(NoRecordError);
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    await rollout({ service: 'web', unitFile: V2, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const back = await rollbackService('web', { api: h.api, clock: h.clock, spec: FAST });
    expect(back.replaced).toEqual(['web@1.service', 'web@2.service']);
    const forth = await rollbackService('web', { api: h.api, clock: h.clock, spec: FAST });
    expect(forth.hash).toBe(H2);
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service']);
  });
});
