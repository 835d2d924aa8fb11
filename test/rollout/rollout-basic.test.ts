import {
  InvalidSpecError,
  lockUnitName,
  recordUnitName,
  rollout,
  UnsupportedUnitError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FAST,
  H1,
  H2,
  type Harness,
  harness,
  instancesOf,
  runningWith,
  serviceUnits,
  V1,
  V2,
} from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rollout against the simulator', () => {
  it('creates a fresh service, then updates it with no more than maxUnavailable down', async () => {
    h = await harness();
    const created = await rollout(
      { service: 'web', unitFile: V1, count: 3, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(created.outcome).toBe('succeeded');
    expect(created.added).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    expect(runningWith(h.sim, 'web', H1)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    expect(serviceUnits(h.sim, 'web')).toEqual({
      'web@.service': H1,
      'web@1.service': H1,
      'web@2.service': H1,
      'web@3.service': H1,
      [recordUnitName('web')]: expect.any(String),
    });

    const from = h.clock.now();
    const updated = await rollout(
      { service: 'web', unitFile: V2, count: 3, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(updated.outcome).toBe('succeeded');
    expect(updated.replaced).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
    expect(h.sim.cluster.timeline.minActive(instancesOf('web'), from)).toBeGreaterThanOrEqual(2);
    expect(h.sim.cluster.units().some((u) => u.name === lockUnitName('web'))).toBe(false);

    const again = await rollout(
      { service: 'web', unitFile: V2, count: 3, ...FAST },
      { api: h.api, clock: h.clock },
    );
    expect(again.outcome).toBe('unchanged');
    expect(again.unchanged).toHaveLength(3);
  });

  it('refuses Global=true and invalid specs before touching the cluster', async () => {
    h = await harness();
    const global = [...V1, { section: 'X-Fleet', name: 'Global', value: 'true' }];
    const e1 = await rollout({ service: 'web', unitFile: global }, { api: h.api, clock: h.clock }).catch(
      (e: unknown) => e,
    );
    expect(e1).toBeInstanceOf(UnsupportedUnitError);
    expect((e1 as Error).message).toMatch(
      /Global=true units are not rolled as they are.*perMachine.*machine by machine/,
    );
    const e2 = await rollout(
      { service: 'web', unitFile: V1, count: 0, maxSurge: -1 },
      { api: h.api, clock: h.clock },
    ).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(InvalidSpecError);
    expect((e2 as InvalidSpecError).problems.map((p) => p.field)).toEqual(['count', 'maxSurge']);
    expect(h.sim.cluster.counters().mutations).toBe(0);
    expect(h.sim.cluster.units()).toEqual([]);
  });
});
