/**
 * Lifecycle hooks, batch delay and failure budgets on the simulator (issue 20): hooks' order and
 * environment, failing hooks of both kinds, hook timeouts on the manual clock, pacing between
 * batches, and instances retried within `maxFailures` before the failure policy applies.
 */
import {
  type HookContext,
  HookFailedError,
  observeCluster,
  planRollout,
  RolledBackError,
  rollout,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BAD,
  FAST,
  failing,
  H1,
  H2,
  type Harness,
  instancesOf,
  runningWith,
  seededWeb,
  V2,
} from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Call {
  hook: 'pre-stop' | 'post-start';
  unit: string;
  index: number;
  machineID: string | undefined;
  ip: string | undefined;
  time: number;
  /** What ran at that moment: the instance with the old contents, with the new. */
  old: boolean;
  new: boolean;
}

function recorder(x: Harness) {
  const calls: Call[] = [];
  const record = (hook: Call['hook']) => async (ctx: HookContext) => {
    calls.push({
      hook,
      unit: ctx.unit,
      index: ctx.index,
      machineID: ctx.machineID,
      ip: ctx.ip,
      time: x.clock.now(),
      old: runningWith(x.sim, 'web', H1).includes(ctx.unit),
      new: runningWith(x.sim, 'web', H2).includes(ctx.unit),
    });
  };
  return { calls, hooks: { preStop: record('pre-stop'), postStart: record('post-start') } };
}

describe('lifecycle hooks', () => {
  it('the plan marks where they run; pre-stop before each take-down, post-start once healthy, with unit, index, machine and IP', async () => {
    h = await seededWeb();
    const { calls, hooks } = recorder(h);
    const plan = planRollout(
      { service: 'web', unitFile: V2, hooks, ...FAST },
      await observeCluster(h.api, 'web'),
    );
    expect(plan.settings.hooks).toEqual({ preStop: true, postStart: true, timeoutMs: 30_000 });
    expect(plan.steps.map((s) => [s.action, s.unit, s.hooks])).toEqual([
      ['replace', 'web@.service', undefined],
      ['replace', 'web@1.service', ['pre-stop', 'post-start']],
      ['replace', 'web@2.service', ['pre-stop', 'post-start']],
      ['replace', 'web@3.service', ['pre-stop', 'post-start']],
    ]);
    const machines = new Map(h.sim.cluster.machines().map((m) => [m.id, m.primaryIP]));
    await rollout({ service: 'web', unitFile: V2, hooks, ...FAST }, { api: h.api, clock: h.clock });
    expect(calls.map((c) => `${c.hook} ${c.unit}`)).toEqual([
      'pre-stop web@1.service',
      'post-start web@1.service',
      'pre-stop web@2.service',
      'post-start web@2.service',
      'pre-stop web@3.service',
      'post-start web@3.service',
    ]);
    for (const c of calls) {
      expect(c.index).toBe(Number(/@(\d+)/.exec(c.unit)?.[1]));
      expect(c.machineID).toBeDefined();
      expect(c.ip).toBe(machines.get(c.machineID!));
      // pre-stop: still serving the old contents (drain it now); post-start: serving the new
      if (c.hook === 'pre-stop') expect([c.old, c.new]).toEqual([true, false]);
      else expect([c.old, c.new]).toEqual([false, true]);
    }
  });

  it('a failing pre-stop hook stops the rollout before that instance is taken down (no rollback)', async () => {
    h = await seededWeb();
    const preStop = async (ctx: HookContext) => {
      if (ctx.unit === 'web@2.service') throw new Error('the load balancer refused to drain web@2');
    };
    const error = await failing(
      rollout(
        { service: 'web', unitFile: V2, hooks: { preStop }, onFailure: 'rollback', ...FAST },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(HookFailedError);
    expect(error).toMatchObject({ code: 'ERR_ROLLOUT_HOOK_FAILED', hook: 'pre-stop', unit: 'web@2.service' });
    expect(error.message).toMatch(/pre-stop hook for web@2.service failed: the load balancer refused/);
    expect(error.result.outcome).toBe('failed');
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@2.service', 'web@3.service']);
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service']);
    expect(h.events.some((e) => e.type === 'rollback-started')).toBe(false);
    expect(h.events.find((e) => e.type === 'hook-failed')).toMatchObject({
      hook: 'pre-stop',
      unit: 'web@2.service',
    });
  });

  it('a failing post-start hook is an instance failure: the failure policy (rollback) applies', async () => {
    h = await seededWeb();
    let refused = false; // the registry refuses web@1 once (the rollback registers it again)
    const postStart = async (ctx: HookContext) => {
      if (ctx.unit === 'web@1.service' && !refused) {
        refused = true;
        throw new Error('could not register web@1');
      }
    };
    const error = await failing(
      rollout(
        { service: 'web', unitFile: V2, hooks: { postStart }, onFailure: 'rollback', ...FAST },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(error.cause).toBeInstanceOf(HookFailedError);
    expect(error.result.outcome).toBe('rolled-back');
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
  });

  it('hook timeouts: a hook that never ends fails after timeoutMs on the injected clock, its signal aborted', async () => {
    h = await seededWeb();
    let aborted = false;
    const preStop = (ctx: HookContext) =>
      new Promise<void>((_, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(ctx.signal.reason);
        });
      });
    const from = h.clock.now();
    const error = await failing(
      rollout(
        { service: 'web', unitFile: V2, hooks: { preStop, timeoutMs: 7_000 }, ...FAST },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(HookFailedError);
    expect(error.message).toMatch(/pre-stop hook for web@1.service failed: timed out after 7000 ms/);
    expect(aborted).toBe(true);
    const failed = h.events.find((e) => e.type === 'hook-failed');
    expect(failed?.type === 'hook-failed' && failed.durationMs).toBe(7_000);
    expect(h.clock.now() - from).toBeGreaterThanOrEqual(7_000);
    expect(runningWith(h.sim, 'web', H1)).toHaveLength(3); // nothing was taken down
  });
});

describe('pacing and failure budgets', () => {
  it('batchDelayMs: the next batch starts that long after the previous one ended (manual clock)', async () => {
    h = await seededWeb();
    await rollout(
      { service: 'web', unitFile: V2, batchDelayMs: 60_000, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    const delays = h.events.filter((e) => e.type === 'batch-delay');
    expect(delays.map((e) => e.type === 'batch-delay' && [e.batch, e.delayMs])).toEqual([
      [2, 60_000],
      [3, 60_000],
      [4, 60_000],
    ]);
    const ends = new Map<number, number>();
    const starts = new Map<number, number>();
    for (const e of h.events) {
      if (e.type === 'step-finished') ends.set(e.step.batch, e.time);
      if (e.type === 'step-started' && !starts.has(e.step.batch)) starts.set(e.step.batch, e.time);
    }
    for (const b of [2, 3, 4]) expect(starts.get(b)! - ends.get(b - 1)!).toBeGreaterThanOrEqual(60_000);
    expect(runningWith(h.sim, 'web', H2)).toHaveLength(3);
  });

  it('maxFailures: a failed instance within the budget is destroyed and created again; the rollout succeeds', async () => {
    h = await seededWeb();
    const from = h.clock.now();
    const fault = h.sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { name: 'web@2.service', option: { name: 'Environment', value: 'VERSION=2' } },
    });
    const result = await rollout(
      { service: 'web', unitFile: V2, maxFailures: 1, ...FAST },
      {
        api: h.api,
        clock: h.clock,
        onEvent: (e) => {
          h!.events.push(e);
          if (e.type === 'instance-retried') h!.sim.cluster.removeFault(fault); // the second try works
        },
      },
    );
    expect(result.outcome).toBe('succeeded');
    const retried = h.events.filter((e) => e.type === 'instance-retried');
    expect(retried).toHaveLength(1);
    expect(retried[0]).toMatchObject({ unit: 'web@2.service', failures: 1, budget: 1 });
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
  });

  it('maxFailures as a ratio; past the budget the failure policy applies', async () => {
    h = await seededWeb();
    // 0.34 of 3 = 1 failure tolerated; BAD fails on every instance
    const error = await failing(
      rollout(
        { service: 'web', unitFile: BAD, maxFailures: 0.34, onFailure: 'rollback', ...FAST },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ),
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(h.events.filter((e) => e.type === 'instance-retried')).toHaveLength(1);
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
  });
});
