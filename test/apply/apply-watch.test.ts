// watchApply on the simulator's manual clock: drift put back (or only reported), a source that
// goes away and comes back, and a stop in the middle of a rollout that keeps capacity and locks.
import { type ApplyEvent, SourceReader, watchApply } from '@fleet-service/apply';
import { lockUnitName } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { instancesOf } from '../rollout/sim-harness.js';
import { type ApplyHarness, applyHarness, FAST_LOCK } from './apply-harness.js';
import { cocoUnit } from './source-server.js';

let h: ApplyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function twoServices(): Promise<ApplyHarness> {
  const x = await applyHarness();
  x.source.files.set('web@.service', cocoUnit('web'));
  x.source.files.set('api@.service', cocoUnit('api'));
  x.setServices([
    { name: 'web@.service', version: '1', count: 2, sequentialDeployment: true },
    { name: 'api@.service', version: '1', count: 2, sequentialDeployment: true },
  ]);
  return x;
}

const watchOpts = (x: ApplyHarness) => ({
  rootUri: x.source.root,
  intervalMs: 60_000,
  retryInitialMs: 1_000,
  source: { retries: 0 },
});

describe('apply --watch', () => {
  it('puts back a unit removed by hand and one stopped by hand, and says what drifted', async () => {
    h = await twoServices();
    const x = h;
    const events: ApplyEvent[] = [];
    await watchApply(
      { ...watchOpts(x), maxRuns: 2 },
      {
        api: x.api,
        clock: x.clock,
        lock: FAST_LOCK,
        onEvent: (e) => events.push(e),
        onRun: async (_result, run) => {
          if (run !== 1) return;
          await x.api.destroyUnit('web@2.service');
          await x.api.setUnitTargetState('api@1.service', 'loaded');
        },
      },
    );
    const drift = events.filter((e) => e.type === 'drift');
    expect(drift).toEqual([
      expect.objectContaining({ service: 'web', units: ['web@2.service'], reverted: true }),
      expect.objectContaining({ service: 'api', units: ['api@1.service'], reverted: true }),
    ]);
    expect(x.sim.cluster.units().filter((u) => instancesOf('web')(u.name))).toHaveLength(2);
    expect(x.sim.cluster.units().find((u) => u.name === 'api@1.service')?.desiredState).toBe('launched');
    const runs = events.filter((e) => e.type === 'watch-run');
    expect(runs.map((e) => (e as { sourceUnchanged: boolean }).sourceUnchanged)).toEqual([false, true]);
  });

  it('--no-revert-drift only reports drift', async () => {
    h = await twoServices();
    const x = h;
    const events: ApplyEvent[] = [];
    await watchApply(
      { ...watchOpts(x), maxRuns: 2, revertDrift: false },
      {
        api: x.api,
        clock: x.clock,
        lock: FAST_LOCK,
        onEvent: (e) => events.push(e),
        onRun: async (_r, run) => {
          if (run === 1) await x.api.destroyUnit('web@2.service');
        },
      },
    );
    expect(events.filter((e) => e.type === 'drift')).toEqual([
      expect.objectContaining({ service: 'web', reverted: false }),
    ]);
    const last = events.filter((e) => e.type === 'service-finished' && e.service === 'web').at(-1) as Extract<
      ApplyEvent,
      { type: 'service-finished' }
    >;
    expect(last.outcome).toMatchObject({ service: 'web', outcome: 'drift-reported' });
    expect(x.sim.cluster.units().some((u) => u.name === 'web@2.service')).toBe(false);
  });

  it('a source that goes away is reported and retried with backoff; when it is back, the change is applied', async () => {
    h = await twoServices();
    const x = h;
    const events: ApplyEvent[] = [];
    let errors = 0;
    await watchApply(
      { ...watchOpts(x), maxRuns: 4 },
      {
        api: x.api,
        clock: x.clock,
        lock: FAST_LOCK,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'watch-error' && ++errors === 2) {
            // back, with a new version of web
            x.source.failWith(undefined);
            x.setServices([
              { name: 'web@.service', version: '2', count: 2, sequentialDeployment: true },
              { name: 'api@.service', version: '1', count: 2, sequentialDeployment: true },
            ]);
          }
        },
        onRun: (_r, run) => {
          if (run === 1) x.source.failWith(503);
        },
      },
    );
    const errs = events.filter((e) => e.type === 'watch-error') as Extract<
      ApplyEvent,
      { type: 'watch-error' }
    >[];
    expect(errs.map((e) => e.retryInMs)).toEqual([1_000, 2_000]);
    expect(errs[0]!.error.message).toMatch(/services\.yaml: HTTP 503/);
    const web1 = x.sim.cluster.units().find((u) => u.name === 'web@1.service')!;
    expect(JSON.stringify(web1)).toContain('DOCKER_APP_VERSION=2');
  });

  it('a stop in the middle of a rollout keeps capacity and releases the locks', async () => {
    h = await twoServices();
    const x = h;
    await watchApply({ ...watchOpts(x), maxRuns: 1 }, { api: x.api, clock: x.clock, lock: FAST_LOCK });
    x.setServices([
      { name: 'web@.service', version: '2', count: 2, sequentialDeployment: true },
      { name: 'api@.service', version: '1', count: 2, sequentialDeployment: true },
    ]);
    const stop = new AbortController();
    const from = x.clock.now();
    await watchApply(
      { ...watchOpts(x) },
      {
        api: x.api,
        clock: x.clock,
        lock: FAST_LOCK,
        signal: stop.signal,
        onEvent: (e) => {
          if (e.type === 'step-started' && (e as { step: { unit: string } }).step.unit === 'web@1.service')
            stop.abort();
        },
      },
    );
    expect(x.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(1);
    expect(x.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
  });

  it('re-reading an unchanged source costs only 304s', async () => {
    h = await twoServices();
    const reader = new SourceReader();
    await reader.read(`${h.source.root}services.yaml`);
    const again = await reader.read(`${h.source.root}services.yaml`);
    expect(again.notModified).toBe(true);
    expect(h.source.requests.map((r) => r.status)).toEqual([200, 304]);
  });
});
