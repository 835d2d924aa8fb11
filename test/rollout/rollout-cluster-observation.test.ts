/** Seam 3: one observation of the cluster, many services' snapshots and plans from it. */
import type { RequestInfo } from '@fleet-service/fleet-client';
import {
  lockService,
  lockUnitName,
  observeCluster,
  observeClusterState,
  planRollout,
  type RolloutEvent,
  rollout,
  runPlan,
  snapshotOf,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClient, FAST, H1, type Harness, harness, runningWith, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isListing = (path: string) => (r: RequestInfo) =>
  r.method === 'GET' && r.path === `/fleet/v1/${path}` && !r.query.includes('nextPageToken');

describe('observeClusterState + snapshotOf', () => {
  it('planning 50 services from one observation costs one /units listing and no per-service reads', async () => {
    h = await harness();
    const services = Array.from({ length: 50 }, (_, k) => `svc${k + 1}`);
    for (const s of services) {
      await h.api.createUnit({ name: `${s}@.service`, options: V1, desiredState: 'inactive' });
      for (const i of [1, 2])
        await h.api.createUnit({ name: `${s}@${i}.service`, options: V1, desiredState: 'launched' });
    }
    const { api, requests } = countingClient(h);

    const observation = await observeClusterState(api);
    const plans = services.map((s) =>
      planRollout({ service: s, unitFile: V2, count: 2, ...FAST }, snapshotOf(observation, s)),
    );

    expect(plans.every((p) => p.steps.some((s) => s.unit === `${p.service}@2.service`))).toBe(true);
    expect(requests.filter(isListing('units'))).toHaveLength(1);
    // 150 units: fleet pages them, and the one listing read every page
    expect(requests.filter((r) => r.path === '/fleet/v1/units').length).toBeGreaterThan(1);
    expect(requests.filter(isListing('state'))).toHaveLength(1);
    expect(requests.filter((r) => r.query.includes('unitName='))).toEqual([]);
    expect(observation.units).toHaveLength(150);
  });

  it("a service's snapshot is the same from the whole-cluster observation as from observeCluster", async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    await h.api.createUnit({ name: 'other@1.service', options: V2, desiredState: 'launched' });
    const whole = snapshotOf(await observeClusterState(h.api), 'web');
    const single = await observeCluster(h.api, 'web');
    const byName = (a: { name?: string }, b: { name?: string }) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1);
    expect({ ...whole, states: [...whole.states].sort(byName) }).toEqual({
      ...single,
      states: [...single.states].sort(byName),
    });
    expect(whole.units.map((u) => u.name).sort()).toEqual(['web@.service', 'web@1.service', 'web@2.service']);
    expect(whole.record?.status).toBe('succeeded');
  });

  it('a front end plans several services from one observation, then runs the plan it chose under a lock', async () => {
    h = await harness();
    for (const s of ['web', 'api'])
      await rollout({ service: s, unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const observation = await observeClusterState(h.api);
    const [web, api] = ['web', 'api'].map((s) =>
      planRollout({ service: s, unitFile: V2, count: 2, ...FAST }, snapshotOf(observation, s)),
    );
    expect(api?.steps.length).toBeGreaterThan(0);
    // only web is approved
    const events: RolloutEvent[] = [];
    const onEvent = (e: RolloutEvent) => events.push(e);
    const rolloutId = 'approved-1';
    const lock = await lockService('web', FAST.lock, {
      api: h.api,
      clock: h.clock,
      onEvent,
      rolloutId,
      host: 'ui',
      pid: 1,
    });
    const result = await runPlan(web!, { api: h.api, clock: h.clock, onEvent, lock, rolloutId });
    expect(result.outcome).toBe('succeeded');
    expect(new Set(events.map((e) => `${e.service} ${e.rolloutId}`))).toEqual(new Set(['web approved-1']));
    expect(events.map((e) => e.type).slice(-2)).toEqual(['lock-released', 'done']);
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);
    const after = snapshotOf(await observeClusterState(h.api), 'web');
    expect(after.record).toMatchObject({ status: 'succeeded', target: { hash: web!.newHash } });
    // api was planned but not approved: untouched
    expect(runningWith(h.sim, 'api', H1)).toEqual(['api@1.service', 'api@2.service']);
  });

  it('refuses a snapshot of a service whose /state the observation did not read', async () => {
    h = await harness();
    const observation = await observeClusterState(h.api, { services: ['web'] });
    expect(() => snapshotOf(observation, 'api')).toThrow(/read \/state only for web, not api/);
  });
});
