// The gate's shared view reads the cheapest way and at most one bulk refresh per poll interval.
import type { FleetApi, UnitState, UnitStateFilter } from '@fleet-service/fleet-client';
import { ManualClock } from '@fleet-service/fleet-sim';
import { describe, expect, it } from 'vitest';
import { ServiceStateView } from './service-state-view.js';
import { resolveSettings } from './spec.js';

const names = (n: number) => Array.from({ length: n }, (_, k) => `web@${k + 1}.service`);
const machineOf = (name: string) => `m${Number(/@(\d+)/.exec(name)![1]) % 4}`;

/** A view over `n` running instances on 4 machines; every `/state` filter it sends is recorded. */
function viewOver(n: number, opts: { clusterStates?: number; machines?: boolean } = {}) {
  const filters: UnitStateFilter[] = [];
  const all: UnitState[] = names(n).map((name) => ({
    name,
    machineID: machineOf(name),
    hash: 'h',
    systemdLoadState: 'loaded',
    systemdActiveState: 'active',
    systemdSubState: 'running',
  }));
  const api = {
    async listUnitStates(filter: UnitStateFilter = {}): Promise<UnitState[]> {
      filters.push(filter);
      return all.filter(
        (s) =>
          (!filter.unitName || s.name === filter.unitName) &&
          (!filter.machineID || s.machineID === filter.machineID),
      );
    },
  } as unknown as FleetApi;
  const clock = new ManualClock(0);
  const settings = resolveSettings({ service: 'web', unitFile: [], count: n, pollIntervalMs: 1_000 });
  const view = new ServiceStateView(
    {
      api,
      clock,
      settings,
      progress: { lastProgress: 0, ms: settings.progressDeadlineMs },
      healthChecks: [],
      machine: async () => undefined,
    },
    {
      instances: names(n),
      ...(opts.machines ? { machines: new Map(names(n).map((u) => [u, machineOf(u)])) } : {}),
      ...(opts.clusterStates !== undefined ? { clusterStates: opts.clusterStates } : {}),
    },
  );
  return { view, filters, clock };
}

describe('the capacity gate’s view of the service', () => {
  it('reads the /state listing when it is fewer pages than the reads needed', async () => {
    const { view, filters } = viewOver(100, { clusterStates: 150 });
    expect(await view.fill('web@1.service', 99, () => false)).toBe(99);
    expect(filters).toEqual([{}]);
    expect(view.requests).toEqual({ unit: 0, machine: 0, listing: 2 });
  });

  it('reads per machine when the machines are known and the cluster size is not', async () => {
    const { view, filters } = viewOver(100, { machines: true });
    expect(await view.fill('web@1.service', 99, () => false)).toBe(99);
    expect(filters.map((f) => f.machineID).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('reads per unit when that is cheapest (few needed), and only until enough run', async () => {
    const { view, filters } = viewOver(100, { clusterStates: 5_000 });
    expect(await view.fill('web@1.service', 3, () => false)).toBe(3);
    expect(filters.every((f) => f.unitName !== undefined)).toBe(true);
    expect(filters).toHaveLength(3);
  });

  it('refreshes in bulk at most once per poll interval; reads stay fresh for one interval', async () => {
    const { view, filters, clock } = viewOver(100, { clusterStates: 150 });
    await view.fill('web@1.service', 99, () => false);
    view.markDown('web@1.service');
    // the next take-down in the same interval is answered by the same reads
    expect(await view.fill('web@2.service', 98, () => false)).toBe(98);
    expect(filters).toHaveLength(1);
    await clock.advance(1_001);
    expect(view.others('web@2.service')).toBe(0);
    await view.fill('web@2.service', 98, () => false);
    expect(filters).toHaveLength(2);
  });

  it('takes what the waits read for free, and counts a unit taken down as down until it is back', async () => {
    const { view, filters } = viewOver(3);
    view.seen('web@2.service', [
      { name: 'web@2.service', machineID: 'm2', systemdLoadState: 'loaded', systemdActiveState: 'active' },
    ]);
    view.seen('web@3.service', [
      { name: 'web@3.service', machineID: 'm3', systemdLoadState: 'loaded', systemdActiveState: 'active' },
    ]);
    expect(view.others('web@1.service')).toBe(2);
    view.markDown('web@2.service');
    expect(view.others('web@1.service')).toBe(1);
    view.markUp('web@2.service');
    expect(view.others('web@1.service')).toBe(2);
    expect(filters).toEqual([]);
  });
});
