/**
 * Versioned (blue-green) deploys on the simulator: version V of `web` runs as web-V@1..N; the old
 * version serves until the new one is healthy (capacity sampled on the simulator's timeline at every
 * change), a failing version is stopped and the old one kept, destroyPrevious true / false /
 * 'at-end', a version shut down by name, unmanaged units beside it, several pages of units.
 */
import { createFleetClient, unitHash } from '@fleet-service/fleet-client';
import { ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import {
  deployVersion,
  destroyVersion,
  listVersionedUnits,
  RolledBackError,
  type RolloutResult,
  rollbackVersion,
  type VersionedSpec,
  withVersionMarker,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { BAD, BAD_FAILS, FAST, type Harness, harness, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const versioned = (name: string) => /^web-[A-Za-z0-9._]+@\d+\.service$/.test(name);
const spec = (version: string, unitFile = V1, extra: Partial<VersionedSpec> = {}): VersionedSpec => ({
  service: 'web',
  version,
  unitFile,
  count: 3,
  ...FAST,
  ...extra,
});
const deploy = (x: Harness, s: VersionedSpec) =>
  deployVersion(s, { api: x.api, clock: x.clock, onEvent: x.onEvent });
/** Units of the sim whose names start with `prefix`, sorted. */
const unitsOf = (x: Harness, prefix: string) =>
  x.sim.cluster
    .units()
    .map((u) => u.name)
    .filter((n) => n.startsWith(prefix))
    .sort();
const running = (x: Harness, pred: (n: string) => boolean) =>
  x.sim.cluster.timeline.activeAt(x.clock.now(), pred);

describe('versioned deploys', () => {
  it('starts the new version beside the old one and destroys each old instance once its successor is healthy', async () => {
    h = await harness();
    await deploy(h, spec('a'));
    expect(running(h, versioned)).toEqual(['web-a@1.service', 'web-a@2.service', 'web-a@3.service']);
    const from = h.clock.now();
    const result = await deploy(h, spec('b', V2));
    expect(result.outcome).toBe('succeeded');
    expect(result.added).toEqual(['web-b@1.service', 'web-b@2.service', 'web-b@3.service']);
    // capacity: never fewer than 3 instances (of either version) running, at every change point
    expect(h.sim.cluster.timeline.minActive(versioned, from, h.clock.now())).toBeGreaterThanOrEqual(3);
    expect(unitsOf(h, 'web-')).toEqual([
      'web-b@.service',
      'web-b@1.service',
      'web-b@2.service',
      'web-b@3.service',
    ]);
    // each old instance went after its successor ran
    const events = h.sim.cluster.timeline.events;
    for (const i of [1, 2, 3]) {
      const upB = events.find(
        (e) =>
          e.unit === `web-b@${i}.service` &&
          e.kind === 'systemd' &&
          e.time >= from &&
          String(JSON.stringify(e)).includes('running'),
      );
      const goneA = events.find((e) => e.unit === `web-a@${i}.service` && e.kind === 'destroyed');
      expect(upB && goneA && goneA.time >= upB.time).toBe(true);
    }
    // the plan: template, then new i beside old i − 1
    const plan = h.events.filter((e) => e.type === 'plan').at(-1);
    const steps = plan?.type === 'plan' ? plan.plan.steps.map((s) => `${s.batch} ${s.action} ${s.unit}`) : [];
    expect(steps).toEqual([
      '1 create web-b@.service',
      '2 create web-b@1.service',
      '3 create web-b@2.service',
      '3 destroy web-a@1.service',
      '4 create web-b@3.service',
      '4 destroy web-a@2.service',
      '5 destroy web-a@3.service',
      '6 destroy web-a@.service',
    ]);
    // listing understands versions
    const units = await listVersionedUnits(h.api, 'web');
    expect(units.map((u) => `${u.version}/${u.instance}/${u.running}`)).toEqual([
      'b/1/true',
      'b/2/true',
      'b/3/true',
    ]);
    // a rerun changes nothing
    expect((await deploy(h, spec('b', V2))).outcome).toBe('unchanged');
  });

  it('a failing new version is stopped and the old one keeps serving', async () => {
    h = await harness({ faults: [BAD_FAILS] });
    await deploy(h, spec('a'));
    const from = h.clock.now();
    const error = await deploy(h, spec('bad', BAD)).then(
      () => undefined,
      (e: unknown) => e as RolledBackError & { result: RolloutResult },
    );
    expect(error).toBeInstanceOf(RolledBackError);
    expect(error?.result.outcome).toBe('rolled-back');
    expect(h.sim.cluster.timeline.minActive((n) => /^web-a@\d+\.service$/.test(n), from, h.clock.now())).toBe(
      3,
    );
    expect(unitsOf(h, 'web-')).toEqual([
      'web-a@.service',
      'web-a@1.service',
      'web-a@2.service',
      'web-a@3.service',
    ]);
    expect(h.events.some((e) => e.type === 'rollback-finished')).toBe(true);
    expect(h.events.filter((e) => e.type === 'done')).toHaveLength(2);
  });

  it('a failure after old instances went puts them back, then stops the new version', async () => {
    // the third new instance fails: a@1 and a@2 were already destroyed
    h = await harness();
    await deploy(h, spec('a'));
    h.sim.cluster.addFault({ kind: 'unit-start-fails', match: { name: 'web-b@3.service' } });
    const from = h.clock.now();
    const error = await deploy(h, spec('b', V2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RolledBackError);
    expect(unitsOf(h, 'web-')).toEqual([
      'web-a@.service',
      'web-a@1.service',
      'web-a@2.service',
      'web-a@3.service',
    ]);
    expect(running(h, versioned)).toEqual(['web-a@1.service', 'web-a@2.service', 'web-a@3.service']);
    expect(h.sim.cluster.timeline.minActive(versioned, from, h.clock.now())).toBeGreaterThanOrEqual(3);
    // a@1 and a@2 had gone once b@1, b@2 were healthy; they were created again
    const destroyed = h.sim.cluster.timeline.events
      .filter((e) => e.time >= from && e.kind === 'destroyed')
      .map((e) => e.unit);
    expect(destroyed).toEqual(
      expect.arrayContaining(['web-a@1.service', 'web-a@2.service', 'web-b@1.service', 'web-b@3.service']),
    );
    expect(destroyed).not.toContain('web-a@3.service');
  });

  it('destroyPrevious false keeps both; at-end destroys the old once every new instance is healthy; rollback and DELETE by name', async () => {
    h = await harness();
    await deploy(h, spec('a', V1, { count: 2 }));
    await deploy(h, spec('b', V2, { count: 2, destroyPrevious: false }));
    expect(running(h, versioned)).toEqual([
      'web-a@1.service',
      'web-a@2.service',
      'web-b@1.service',
      'web-b@2.service',
    ]);
    await destroyVersion('web', 'a', { api: h.api, clock: h.clock });
    expect(unitsOf(h, 'web-')).toEqual(['web-b@.service', 'web-b@1.service', 'web-b@2.service']);
    const from = h.clock.now();
    await deploy(h, spec('c', version3(), { count: 2, destroyPrevious: 'at-end', batchSize: 2 }));
    expect(h.sim.cluster.timeline.minActive(versioned, from, h.clock.now())).toBeGreaterThanOrEqual(2);
    expect(unitsOf(h, 'web-')).toEqual(['web-c@.service', 'web-c@1.service', 'web-c@2.service']);
    // rollback: the record says b served before c
    const back = await rollbackVersion('web', { api: h.api, clock: h.clock, spec: FAST });
    expect(back.outcome).toBe('succeeded');
    expect(unitsOf(h, 'web-')).toEqual(['web-b@.service', 'web-b@1.service', 'web-b@2.service']);
    expect(h.sim.cluster.units().find((u) => u.name === 'web-b@1.service')?.hash).toBe(
      unitHash(withVersionMarker(V2, 'web', 'b')),
    );
    const gone = await destroyVersion('web', 'zzz', { api: h.api, clock: h.clock }).catch((e: unknown) => e);
    expect((gone as { code?: string }).code).toBe('ERR_ROLLOUT_NO_SUCH_SERVICE');
  });

  it('ignores unmanaged units beside the service and reads every page of the listing', async () => {
    const clock = new ManualClock(1_700_000_000_000, { autoAdvance: true });
    const sim = await startFleetSim({ clock, machines: 3, seed: 2, tokenLimit: 2 });
    const api = createFleetClient({ endpoint: sim.endpoint, clock });
    h = { clock, sim, api, events: [], onEvent: () => {}, close: () => sim.close() };
    // not ours: a unit named like a version without the marker, another service's, plain web units
    await api.createUnit({ name: 'web-worker@1.service', options: V1, desiredState: 'launched' });
    await api.createUnit({ name: 'web@1.service', options: V1, desiredState: 'launched' });
    await api.createUnit({ name: 'web.service', options: V1, desiredState: 'loaded' });
    await api.createUnit({
      name: 'webx-a@1.service',
      options: withVersionMarker(V1, 'webx', 'a'),
      desiredState: 'launched',
    });
    await deploy(h, spec('a', V1, { count: 4, batchSize: 2 }));
    await deploy(h, spec('b', V2, { count: 4, batchSize: 2 }));
    const units = await listVersionedUnits(api, 'web');
    expect(units.map((u) => u.unit)).toEqual([
      'web-b@1.service',
      'web-b@2.service',
      'web-b@3.service',
      'web-b@4.service',
    ]);
    for (const name of ['web-worker@1.service', 'web@1.service', 'web.service', 'webx-a@1.service'])
      expect(sim.cluster.units().some((u) => u.name === name)).toBe(true);
  });
});

function version3() {
  return [...V2, { section: 'Service', name: 'Environment', value: 'RELEASE=3' }];
}
