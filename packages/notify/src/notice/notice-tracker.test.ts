import type { Plan, RolloutEvent, RolloutResult } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { createNoticeTracker } from './notice-tracker.js';

const tags = { service: 'web', rolloutId: 'r-1', time: 0 };
const unitOf = (version: string) => [
  { section: 'Service', name: 'Environment', value: `VERSION=${version}` },
  { section: 'Service', name: 'ExecStart', value: `/usr/bin/docker run --rm me/web:${version}-img` },
];
const plan = (version: string, steps = 1) =>
  ({
    service: 'web',
    newHash: `hash-${version}`,
    unitFile: unitOf(version),
    steps: new Array(steps).fill({}),
  }) as unknown as Plan;
const result = (fields: Partial<RolloutResult>): RolloutResult => ({
  service: 'web',
  outcome: 'succeeded',
  hash: 'hash-v2',
  replaced: ['web@1.service', 'web@2.service'],
  unchanged: [],
  added: ['web@3.service'],
  removed: [],
  keptSpares: [],
  durationMs: 1234,
  completedSteps: [],
  ...fields,
});

describe('createNoticeTracker', () => {
  const context = { action: 'create', service: 'web', user: 'alice', host: 'ci-1' };

  it('started (only once a plan with steps was seen), then succeeded with the counts', () => {
    const t = createNoticeTracker(context);
    expect(t.started()).toBeUndefined();
    t.onEvent({ ...tags, type: 'plan', plan: plan('v2') } as RolloutEvent);
    expect(t.started()).toMatchObject({
      event: 'started',
      version: 'v2',
      image: 'me/web:v2-img',
      hash: 'hash-v2',
      rolloutId: 'r-1',
    });
    const done = t.finished({ result: result({}), exitCode: 0 });
    expect(done).toMatchObject({
      event: 'succeeded',
      outcome: 'succeeded',
      version: 'v2',
      replaced: 2,
      added: 1,
      removed: 0,
      durationMs: 1234,
      user: 'alice',
      host: 'ci-1',
      exitCode: 0,
    });
    expect(done.failure).toBeUndefined();
  });

  it('a rolled-back failure: the version that failed, the version put back, the failed instance', () => {
    const t = createNoticeTracker(context);
    t.onEvent({ ...tags, type: 'plan', plan: plan('v2') } as RolloutEvent);
    t.onEvent({
      ...tags,
      type: 'instance-failed',
      unit: 'web@1.service',
      diagnosis: 'failed',
      systemd: { load: 'loaded', active: 'failed', sub: 'failed' },
      machineID: 'm1',
    } as RolloutEvent);
    t.onEvent({ ...tags, phase: 'rollback', type: 'plan', plan: plan('v1') } as RolloutEvent);
    const error = Object.assign(new Error('rolled back'), {
      code: 'ERR_ROLLOUT_ROLLED_BACK',
      result: result({ outcome: 'rolled-back', error: { name: 'RolledBackError', message: 'rolled back' } }),
    });
    const done = t.finished({
      error,
      exitCode: 7,
      failure: { unit: 'web@1.service', machineID: 'm1', primaryIP: '10.0.0.1' },
    });
    expect(done).toMatchObject({
      event: 'rolled-back',
      version: 'v2',
      rolledBackTo: 'v1',
      exitCode: 7,
      failure: { unit: 'web@1.service', primaryIP: '10.0.0.1' },
      error: { name: 'RolledBackError' },
    });
  });

  it.each([
    ['aborted', 'failed'],
    ['rollback-failed', 'failed'],
    ['failed', 'failed'],
    ['paused', 'paused'],
    ['unchanged', 'unchanged'],
  ] as const)('outcome %s is the %s event', (outcome, event) => {
    expect(createNoticeTracker(context).finished({ result: result({ outcome }) }).event).toBe(event);
  });

  it('destroy: succeeded with outcome destroyed; an error without a result is failed', () => {
    const d = createNoticeTracker({ ...context, action: 'destroy' }).finished({
      result: { service: 'web', removed: ['web@1.service'], durationMs: 5, completedSteps: [] },
    });
    expect(d).toMatchObject({ event: 'succeeded', outcome: 'destroyed', removed: 1, version: '' });
    const e = createNoticeTracker(context).finished({
      error: Object.assign(new Error('held'), { code: 'ERR_ROLLOUT_LOCK_HELD' }),
    });
    expect(e).toMatchObject({ event: 'failed', error: { code: 'ERR_ROLLOUT_LOCK_HELD', message: 'held' } });
  });
});
