/**
 * Global units, machine by machine, on the simulator (issue 20): `Global=true` is refused unless
 * `perMachine`; with it, one instance per machine pinned with `MachineID=`, rolled one machine at a
 * time (all machines but one serving, sampled on the simulator's timeline), and later runs keep
 * the pinned form without being asked again.
 */
import { type UnitOption, unitHash } from '@fleet-service/fleet-client';
import {
  observeCluster,
  planRollout,
  rollbackService,
  rollout,
  UnsupportedUnitError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, type Harness, harness, instancesOf, version } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GLOBAL: UnitOption = { section: 'X-Fleet', name: 'Global', value: 'true' };
const G1 = version('1', [GLOBAL]);
const G2 = version('2', [GLOBAL]);
const G3 = version('3', [GLOBAL]);

/** Instance → [machine it runs on, machine its contents pin it to]. */
function placement(x: Harness): Record<string, [string | undefined, string | undefined]> {
  const out: Record<string, [string | undefined, string | undefined]> = {};
  for (const u of x.sim.cluster.units())
    if (instancesOf('agent')(u.name))
      out[u.name] = [
        u.machineID,
        u.options.find((o) => o.section === 'X-Fleet' && o.name === 'MachineID')?.value,
      ];
  return out;
}

describe('Global=true, per machine', () => {
  it('is refused without perMachine, saying what it would do, and nothing is written', async () => {
    h = await harness();
    const error = await rollout(
      { service: 'agent', unitFile: G1, ...FAST },
      { api: h.api, clock: h.clock },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedUnitError);
    expect((error as Error).message).toMatch(
      /perMachine .* rolls them machine by machine: one instance per machine, pinned with MachineID=/,
    );
    expect(h.sim.cluster.counters().mutations).toBe(0);
  });

  it('creates one pinned instance per machine, then rolls an update one machine at a time', async () => {
    h = await harness({ machines: 3 });
    const machines = h.sim.cluster
      .machines()
      .map((m) => m.id)
      .sort();
    const plan = planRollout(
      { service: 'agent', unitFile: G1, perMachine: true, ...FAST },
      await observeCluster(h.api, 'agent'),
    );
    expect(plan.count).toBe(3);
    expect(plan.perMachine).toEqual(
      machines.map((id, k) => ({ unit: `agent@${k + 1}.service`, machineID: id })),
    );
    expect(plan.unitFile.some((o) => o.name === 'Global')).toBe(false); // never Global beside MachineID
    expect(plan.notes.join('\n')).toMatch(
      /per machine: Global=true rolled as 3 instance\(s\), one per machine/,
    );

    await rollout(
      { service: 'agent', unitFile: G1, perMachine: true, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const first = placement(h);
    expect(Object.keys(first).sort()).toEqual(['agent@1.service', 'agent@2.service', 'agent@3.service']);
    for (const [unit, [on, pin]] of Object.entries(first)) {
      expect(on, unit).toBe(pin);
      expect(pin).toBe(machines[Number(/@(\d)/.exec(unit)![1]) - 1]);
    }

    const from = h.clock.now();
    h.events.length = 0;
    const result = await rollout(
      { service: 'agent', unitFile: G2, perMachine: true, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.replaced.sort()).toEqual(['agent@1.service', 'agent@2.service', 'agent@3.service']);
    // one machine at a time: every replace in a batch of its own, and all machines but one serving
    const planEvent = h.events.find((e) => e.type === 'plan');
    const replaces =
      planEvent?.type === 'plan' ? planEvent.plan.steps.filter((s) => s.role === 'instance') : [];
    expect(new Set(replaces.map((s) => s.batch)).size).toBe(3);
    expect(h.sim.cluster.timeline.minActive(instancesOf('agent'), from)).toBe(2);
    expect(placement(h)).toEqual(first); // each instance stayed on its machine
  });

  it('rollbackService of a service rolled per machine keeps it pinned', async () => {
    h = await harness({ machines: 3 });
    await rollout(
      { service: 'agent', unitFile: G1, perMachine: true, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const pinned = placement(h);
    await rollout(
      { service: 'agent', unitFile: G2, perMachine: true, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const back = await rollbackService('agent', { api: h.api, clock: h.clock, spec: { ...FAST } });
    expect(back.outcome).toBe('succeeded');
    expect(placement(h)).toEqual(pinned);
    const hashes = h.sim.cluster
      .units()
      .filter((u) => instancesOf('agent')(u.name))
      .map((u) => u.hash);
    expect(new Set(hashes).size).toBe(3); // one pinned form per machine, all of version 1
  });

  it('later runs keep the pinned form without perMachine', async () => {
    h = await harness({ machines: 3 });
    await rollout(
      { service: 'agent', unitFile: G1, perMachine: true, ...FAST },
      { api: h.api, clock: h.clock },
    );
    const before = placement(h);
    const result = await rollout({ service: 'agent', unitFile: G3, ...FAST }, { api: h.api, clock: h.clock });
    expect(result.outcome).toBe('succeeded');
    expect(placement(h)).toEqual(before);
    const template = h.sim.cluster.units().find((u) => u.name === 'agent@.service');
    expect(template?.hash).toBe(unitHash(G3.filter((o) => o.name !== 'Global')));
  });
});
