/** destroyService's dry run and missing services; status and listServices on the injected clock. */
import {
  describeService,
  destroyService,
  listServices,
  lockUnitName,
  NoSuchServiceError,
  type RolloutEvent,
  recordUnitName,
  rollout,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClient, crashingApi, FAST, type Harness, harness, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const names = (x: Harness) =>
  x.sim.cluster
    .units()
    .map((u) => u.name)
    .sort();

describe('destroyService', () => {
  it('a dry run plans the teardown and writes nothing, not even a lock', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const before = names(h);
    const { api, writes } = countingClient(h);
    const events: RolloutEvent[] = [];
    const result = await destroyService('web', {
      api,
      clock: h.clock,
      dryRun: true,
      onEvent: (e) => events.push(e),
    });
    expect(result.removed).toEqual([]);
    expect(writes()).toEqual([]);
    expect(names(h)).toEqual(before);
    const plan = events.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.plan.steps.map((s) => s.unit)).toEqual([
      'web@2.service',
      'web@1.service',
      'web@.service',
      recordUnitName('web'),
    ]);
  });

  it('a service that does not exist: NoSuchServiceError, nothing written, nothing "destroyed"', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 1, ...FAST }, { api: h.api, clock: h.clock });
    const { api, writes } = countingClient(h);
    const error = await destroyService('nosuch', { api, clock: h.clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchServiceError);
    expect((error as NoSuchServiceError).code).toBe('ERR_ROLLOUT_NO_SUCH_SERVICE');
    expect((error as Error).message).toMatch(/no such service: nosuch/);
    expect(writes()).toEqual([]);
    const dry = await destroyService('nosuch', { api, clock: h.clock, dryRun: true }).catch(
      (e: unknown) => e,
    );
    expect(dry).toBeInstanceOf(NoSuchServiceError);
  });

  it("a service whose units are gone but fs's record is left: NoSuchServiceError, the stale record removed quietly", async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 1, ...FAST }, { api: h.api, clock: h.clock });
    // someone removed the service with fleetctl; fs's record stays behind
    for (const unit of ['web@1.service', 'web@.service']) await h.api.destroyUnit(unit);
    expect(names(h)).toEqual([recordUnitName('web')]);
    const events: RolloutEvent[] = [];
    const error = await destroyService('web', {
      api: h.api,
      clock: h.clock,
      onEvent: (e) => events.push(e),
      spec: FAST,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchServiceError);
    expect(names(h)).toEqual([]);
    expect(events.some((e) => e.type === 'step-finished' || e.type === 'done')).toBe(false);
  });
});

describe('describeService and listServices', () => {
  it("judge the lock's expiry by the injected clock, not the machine's", async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    // a rollout that died mid-way (SIGKILL) leaves its lock behind
    const crashing = crashingApi(h.api, 3);
    void rollout({ service: 'web', unitFile: V2, count: 2, ...FAST }, { api: crashing.api, clock: h.clock });
    await h.sim.cluster.waitFor(() => crashing.crashed(), { timeoutMs: 120_000 });
    const held = await describeService(h.api, 'web', { clock: h.clock });
    expect(held.lock).toMatchObject({ expired: false });
    expect((await listServices(h.api, { clock: h.clock }))[0]).toMatchObject({
      service: 'web',
      locked: true,
    });

    const later = { now: () => (held.lock?.expiry ?? 0) + 1, sleep: h.clock.sleep.bind(h.clock) };
    expect((await describeService(h.api, 'web', { clock: later })).lock).toMatchObject({ expired: true });
    const [listed] = await listServices(h.api, { clock: later });
    expect(listed).toMatchObject({ service: 'web', locked: false, lock: { expired: true } });
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(true);
  });

  it('describeService of a service with no units: NoSuchServiceError', async () => {
    h = await harness();
    const error = await describeService(h.api, 'nosuch', { clock: h.clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSuchServiceError);
  });
});
