import {
  LockHeldError,
  LockLostError,
  lockUnitName,
  RolloutAbortedError,
  type RolloutResult,
  rollbackService,
  rollout,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  crashingApi,
  FAST,
  H1,
  H2,
  type Harness,
  harness,
  instancesOf,
  runningWith,
  V1,
  V2,
} from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ALL = ['web@1.service', 'web@2.service', 'web@3.service'];
const spec = (unitFile = V2) => ({ service: 'web', unitFile, count: 3, ...FAST });
/** The crash tests cut recreate between its DELETE and its PUT. */
const recreateSpec = () => ({ ...spec(), replaceMode: 'recreate' as const });

async function seeded(): Promise<Harness> {
  const x = await harness();
  await rollout(spec(V1), { api: x.api, clock: x.clock });
  return x;
}

/** Destroy events in the sim's timeline for `unit` since `from`. */
const destroyedSince = (x: Harness, unit: string, from: number) =>
  x.sim.cluster.timeline.events.filter((e) => e.time >= from && e.unit === unit && e.kind === 'destroyed')
    .length;

describe('abort, crash and resume', () => {
  it('abort by signal after a take-down: the batch in flight finishes, then RolloutAbortedError with the completed steps', async () => {
    h = await seeded();
    const controller = new AbortController();
    const from = h.clock.now();
    const error = await rollout(spec(), {
      api: h.api,
      clock: h.clock,
      signal: controller.signal,
      onEvent: (e) => {
        h?.events.push(e);
        // web@1 was destroyed and created again (fleet shows its job, no /state yet): abort now
        if (e.type === 'state-observed' && e.unit === 'web@1.service' && e.currentState && !e.hash)
          controller.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e as RolloutAbortedError & { result: RolloutResult },
    );
    if (!error) throw new Error('expected RolloutAbortedError');
    expect(error).toBeInstanceOf(RolloutAbortedError);
    expect(error.completedSteps.map((s) => s.unit)).toEqual(['web@.service', 'web@1.service']);
    expect(error.result.outcome).toBe('aborted');
    expect(h.events.find((e) => e.type === 'abort-requested')).toMatchObject({ inFlight: ['web@1.service'] });
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service']);
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@2.service', 'web@3.service']);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);

    const resumedAt = h.clock.now();
    const done = await rollout(spec(), { api: h.api, clock: h.clock });
    expect(done.unchanged).toEqual(['web@1.service']);
    expect(done.replaced).toEqual(['web@2.service', 'web@3.service']);
    expect(destroyedSince(h, 'web@1.service', resumedAt)).toBe(0);
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
  });

  it('abort by signal before the take-down: the step stops at the capacity gate and nothing goes down', async () => {
    h = await seeded();
    const controller = new AbortController();
    const from = h.clock.now();
    const error = await rollout(spec(), {
      api: h.api,
      clock: h.clock,
      signal: controller.signal,
      onEvent: (e) => {
        h?.events.push(e);
        if (e.type === 'step-started' && e.step.unit === 'web@1.service') controller.abort();
      },
    }).then(
      () => undefined,
      (e: unknown) => e as RolloutAbortedError & { result: RolloutResult },
    );
    if (!error) throw new Error('expected RolloutAbortedError');
    expect(error).toBeInstanceOf(RolloutAbortedError);
    expect(error.completedSteps.map((s) => s.unit)).toEqual(['web@.service']);
    expect(error.result.outcome).toBe('aborted');
    expect(destroyedSince(h, 'web@1.service', from)).toBe(0);
    expect(runningWith(h.sim, 'web', H1)).toEqual(ALL);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBe(3);
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
  });

  it('abort while taking the lock: RolloutAbortedError with no steps, and no lock left behind', async () => {
    h = await seeded();
    const early = new AbortController();
    const pending = rollout(
      { ...spec(), lock: { ...FAST.lock, settleMs: 5_000 } },
      { api: h.api, clock: h.clock, signal: early.signal },
    );
    await h.sim.cluster.waitFor(() => h!.sim.cluster.units().some((u) => u.name === lockUnitName('web')), {
      timeoutMs: 10_000,
    });
    early.abort();
    const aborted = await pending.then(
      () => undefined,
      (e: unknown) => e as RolloutAbortedError & { result: RolloutResult },
    );
    expect(aborted).toBeInstanceOf(RolloutAbortedError);
    expect(aborted?.completedSteps).toEqual([]);
    expect(aborted?.result.outcome).toBe('aborted');
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
  });

  it('crash mid-step (process dropped): rerun after the lock expires finishes without restarting new instances', async () => {
    h = await seeded();
    // lock, its nudge, record, template, @1's nudge, @1's PUT, its first nudge after … then silence
    const crash = crashingApi(h.api, 7);
    void rollout(spec(), { api: crash.api, clock: h.clock }).catch(() => {});
    await h.sim.cluster.waitFor(() => crash.crashed(), { timeoutMs: 120_000 });
    // the dead process leaves its lock behind
    const held = await rollout(spec(), { api: h.api, clock: h.clock }).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(LockHeldError);
    await h.clock.sleep(FAST.lock.ttlMs + 1);
    const resumedAt = h.clock.now();
    const done = await rollout(spec(), { api: h.api, clock: h.clock });
    expect(done.outcome).toBe('succeeded');
    expect(done.unchanged).toContain('web@1.service');
    expect(destroyedSince(h, 'web@1.service', resumedAt)).toBe(0);
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
  });

  it('crash between destroy and create: the rerun creates the missing index', async () => {
    h = await seeded();
    const crash = crashingApi(h.api, 5); // lock, record, template, the nudge before the DELETE, destroy @1
    void rollout(recreateSpec(), { api: crash.api, clock: h.clock }).catch(() => {});
    await h.sim.cluster.waitFor(() => crash.crashed(), { timeoutMs: 120_000 });
    const done = await rollout(
      { ...recreateSpec(), lock: { ...FAST.lock, steal: true } },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(done.added).toEqual(['web@1.service']);
    expect(done.replaced).toEqual(['web@2.service', 'web@3.service']);
    expect(h.events.some((e) => e.type === 'lock-acquired' && e.stolenFrom !== undefined)).toBe(true);
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
  });

  it('rollback after a crash: the previous contents are recovered from the cluster', async () => {
    h = await seeded();
    // lock, record, template, nudge, destroy @1, the 4 nudges while it goes, create @1
    const crash = crashingApi(h.api, 10);
    void rollout(recreateSpec(), { api: crash.api, clock: h.clock }).catch(() => {});
    await h.sim.cluster.waitFor(() => crash.crashed(), { timeoutMs: 120_000 });
    await h.sim.cluster.waitFor(() => runningWith(h!.sim, 'web', H2).length === 1, { timeoutMs: 120_000 });
    const back = await rollbackService('web', {
      api: h.api,
      clock: h.clock,
      spec: { ...FAST, lock: { ...FAST.lock, steal: true } },
    });
    expect(back.outcome).toBe('succeeded');
    expect(back.replaced).toEqual(['web@1.service']);
    expect(runningWith(h.sim, 'web', H1)).toEqual(ALL);
    expect(h.sim.cluster.units().find((u) => u.name === 'web@.service')?.hash).toBe(H1);
  });
});

describe('lock', () => {
  it('two concurrent rollouts: exactly one proceeds, the other is refused', async () => {
    h = await seeded();
    const results = await Promise.allSettled([
      rollout(
        { ...spec(), lock: { ...FAST.lock, owner: 'alice' } },
        { api: h.api, clock: h.clock, host: 'a', pid: 1 },
      ),
      rollout(
        { ...spec(), lock: { ...FAST.lock, owner: 'bob' } },
        { api: h.api, clock: h.clock, host: 'b', pid: 2 },
      ),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toSatisfy(
      (e: unknown) => e instanceof LockHeldError || e instanceof LockLostError,
    );
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
  });

  it('a held lock names its holder; steal takes it; the loser stops before its next batch', async () => {
    h = await seeded();
    const events: string[] = [];
    let stolen = false;
    const first = rollout(
      { ...spec(), lock: { ...FAST.lock, owner: 'alice' } },
      {
        api: h.api,
        clock: h.clock,
        host: 'host-a',
        pid: 11,
        onEvent: (e) => {
          events.push(e.type);
          if (e.type === 'step-finished' && e.step.unit === 'web@1.service') stolen = true;
        },
      },
    ).catch((e: unknown) => e);
    await h.sim.cluster.waitFor(() => stolen, { timeoutMs: 120_000 });
    const refused = await rollout(
      { ...spec(), lock: { ...FAST.lock, owner: 'bob' } },
      { api: h.api, clock: h.clock },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockHeldError);
    expect((refused as LockHeldError).holder).toMatchObject({ owner: 'alice', host: 'host-a', pid: 11 });
    expect((refused as Error).message).toMatch(/web is locked by alice on host-a \(pid 11\)/);
    const second = rollout(
      { ...spec(), lock: { ...FAST.lock, owner: 'bob', steal: true } },
      { api: h.api, clock: h.clock },
    );
    expect(await first).toBeInstanceOf(LockLostError);
    expect(events).toContain('lock-lost');
    expect((await second).outcome).toBe('succeeded');
    expect(runningWith(h.sim, 'web', H2)).toEqual(ALL);
  });
});
