/**
 * fleet-api.md §12 cluster cases over raw HTTP, part 2: fleet's functional scheduling tests
 * (Conflicts, MachineOf, MachineID, Global, Replaces, MachineMetadata, machine loss) replayed on
 * the sim with a ManualClock; every observation is made through the HTTP API.
 */
import type { UnitOption } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  activeMachineOf,
  activeUnits,
  getUnit,
  launch,
  listStates,
  listUnits,
  serviceWith,
} from '../support/raw-cluster.js';
import { clusterMachines, M1, M2, M3 } from '../support/reference.js';
import { advanceUntil, holdsFor } from '../support/sim-time.js';
import { startWireSim, type WireSim, type WireSimOptions } from '../support/wire-sim.js';

/** fleet's TTL-based machine loss takes ~15–30 s; allow generous simulated time. */
const MACHINE_LOSS_MS = 120_000;

describe('conformance (raw HTTP): scheduling on a simulated cluster', () => {
  let w: WireSim | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });
  const start = async (machines: number | WireSimOptions['machines']) => {
    w = await startWireSim({ machines: typeof machines === 'number' ? clusterMachines(machines) : machines });
    return w;
  };
  /** Active /state entries of `name` on live machines other than `except`. */
  const activeElsewhere = async (s: WireSim, name: string, except: string) =>
    (await listStates(s, { unitName: name })).filter(
      (st) => st.systemdActiveState === 'active' && st.machineID !== except,
    );

  it('§12.64 5 units with Conflicts=conflict.*.service on 3 machines → exactly 3 active, on 3 distinct machines; all 5 listed', async () => {
    const s = await start(3);
    for (let i = 0; i < 5; i++)
      await launch(s, `conflict.${i}.service`, serviceWith({ Conflicts: 'conflict.*.service' }));
    expect((await listUnits(s)).map((u) => u.name)).toHaveLength(5);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 3, {
      what: '3 active conflict units',
    });
    await holdsFor(s.clock, 20_000, async () => {
      const active = await activeUnits(s);
      expect(active.size).toBe(3);
      const machines = [...active.values()].flat();
      expect(new Set(machines).size).toBe(3);
    });
    expect(await listUnits(s)).toHaveLength(5);
  });

  it('§12.65 hello.service stays inactive while conflicts-with-hello runs (one node); destroying that lets hello start', async () => {
    const s = await start(1);
    await launch(s, 'conflicts-with-hello.service', serviceWith({ Conflicts: 'hello.service' }));
    await advanceUntil(s.clock, async () => (await activeUnits(s)).has('conflicts-with-hello.service'), {
      what: 'conflicts-with-hello active',
    });
    await launch(s, 'hello.service', serviceWith());
    await holdsFor(s.clock, 20_000, async () => {
      expect([...(await activeUnits(s)).keys()]).toEqual(['conflicts-with-hello.service']);
      const hello = await getUnit(s, 'hello.service');
      expect(hello).toMatchObject({ desiredState: 'launched', currentState: 'inactive' });
      expect(hello?.machineID).toBeUndefined();
    });
    expect((await s.deleteUnit('conflicts-with-hello.service')).status).toBe(204);
    await advanceUntil(
      s.clock,
      async () => {
        const active = await activeUnits(s);
        return active.size === 1 && active.has('hello.service');
      },
      { what: 'hello.service the only active unit' },
    );
  });

  it('§12.66 ping.N/pong.N (pong has MachineOf=ping.N) → each pair on one machine; when the host dies both migrate together', async () => {
    const s = await start(3);
    for (let i = 0; i < 3; i++) {
      await launch(s, `ping.${i}.service`, serviceWith());
      await launch(s, `pong.${i}.service`, serviceWith({ MachineOf: `ping.${i}.service` }));
    }
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 6, { what: '6 active units' });
    for (let i = 0; i < 3; i++) {
      expect(await activeMachineOf(s, `pong.${i}.service`)).toBe(
        await activeMachineOf(s, `ping.${i}.service`),
      );
    }
    const host = (await activeMachineOf(s, 'ping.1.service')) as string;
    s.sim.cluster.killMachine(host);
    const moved = await advanceUntil(
      s.clock,
      async () => {
        const [ping] = await activeElsewhere(s, 'ping.1.service', host);
        const [pong] = await activeElsewhere(s, 'pong.1.service', host);
        return ping && pong && { ping: ping.machineID, pong: pong.machineID };
      },
      { what: 'ping.1 and pong.1 active on another machine', maxMs: MACHINE_LOSS_MS },
    );
    expect(moved.ping).not.toBe(host);
    expect(moved.pong).toBe(moved.ping);
    const machines = JSON.parse((await s.get('machines')).body) as { machines: { id: string }[] };
    expect(machines.machines.map((m) => m.id)).not.toContain(host);
  });

  it('§12.67 MachineID=<full id> runs on that machine (and §13.17: the 8-character short id too)', async () => {
    const s = await start(3);
    await launch(s, 'pin-full.service', serviceWith({ MachineID: M2 }));
    await launch(s, 'pin-short.service', serviceWith({ MachineID: M3.slice(0, 8) }));
    await launch(s, 'pin-first.service', serviceWith({ MachineID: M1 }));
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 3, {
      what: '3 pinned units active',
    });
    expect(await activeMachineOf(s, 'pin-full.service')).toBe(M2);
    expect(await activeMachineOf(s, 'pin-short.service')).toBe(M3);
    expect(await activeMachineOf(s, 'pin-first.service')).toBe(M1);
    expect((await getUnit(s, 'pin-full.service'))?.machineID).toBe(M2);
  });

  it('§12.67 (§11.4) MachineID of a machine that does not exist → never scheduled', async () => {
    const s = await start(2);
    await launch(s, 'pinned.service', serviceWith({ MachineID: 'deadbeef' }));
    await holdsFor(s.clock, 20_000, async () => {
      expect(await getUnit(s, 'pinned.service')).toMatchObject({ currentState: 'inactive' });
    });
    expect(await listStates(s)).toEqual([]);
  });

  it('§12.68 a global unit on 3 nodes → 3 states, one per machine; a restart (loaded → launched) leaves 3 active', async () => {
    const s = await start(3);
    await launch(s, 'hello.service', serviceWith());
    await launch(s, 'global.service', serviceWith({ Global: 'true' }));
    const machines = await advanceUntil(
      s.clock,
      async () => {
        const m = (await activeUnits(s)).get('global.service') ?? [];
        return m.length === 3 && m;
      },
      { what: 'global.service active on 3 machines' },
    );
    expect([...machines].sort()).toEqual([M1, M2, M3]);
    const put = async (desiredState: string) =>
      expect((await s.putUnit('global.service', { desiredState })).status).toBe(204);
    await put('loaded');
    await advanceUntil(s.clock, async () => !(await activeUnits(s)).has('global.service'), {
      what: 'global.service stopped everywhere',
    });
    await put('launched');
    await advanceUntil(
      s.clock,
      async () => ((await activeUnits(s)).get('global.service') ?? []).length === 3,
      {
        what: 'global.service active on 3 machines again',
      },
    );
  });

  it('§12.69 two global units with mutual Conflicts=conflict-global.*.service → only the first runs, everywhere', async () => {
    const s = await start(3);
    const options = serviceWith({ Global: 'true', Conflicts: 'conflict-global.*.service' });
    await launch(s, 'conflict-global.0.service', options);
    await advanceUntil(
      s.clock,
      async () => ((await activeUnits(s)).get('conflict-global.0.service') ?? []).length === 3,
      { what: 'conflict-global.0 active on 3 machines' },
    );
    await launch(s, 'conflict-global.1.service', options);
    await holdsFor(s.clock, 20_000, async () => {
      const active = await activeUnits(s);
      expect(active.get('conflict-global.0.service')?.length).toBe(3);
      expect(active.has('conflict-global.1.service')).toBe(false);
    });
  });

  it('§12.70 replace.1 with Replaces=replace.0.service (2 machines) → both active, on different machines', async () => {
    const s = await start(2);
    await launch(s, 'replace.0.service', serviceWith());
    await advanceUntil(s.clock, async () => activeMachineOf(s, 'replace.0.service'), {
      what: 'replace.0 active',
    });
    await launch(s, 'replace.1.service', serviceWith({ Replaces: 'replace.0.service' }));
    const placed = await advanceUntil(
      s.clock,
      async () => {
        const a = await activeMachineOf(s, 'replace.0.service');
        const b = await activeMachineOf(s, 'replace.1.service');
        return a && b && a !== b && { a, b };
      },
      { what: 'replace.0 and replace.1 active on different machines' },
    );
    expect(placed.a).not.toBe(placed.b);
  });

  it('§12.70 replace-kick0 (Replaces=replace.0, only eligible on replace.0’s machine) takes that machine; replace.0 moves elsewhere', async () => {
    const s = await start(2);
    await launch(s, 'replace.0.service', serviceWith());
    const oldHost = await advanceUntil(s.clock, async () => activeMachineOf(s, 'replace.0.service'), {
      what: 'replace.0 active',
    });
    const hostTag = oldHost === M1 ? 'm1' : 'm2';
    await launch(
      s,
      'replace-kick0.service',
      serviceWith({ Replaces: 'replace.0.service', MachineMetadata: `machine=${hostTag}` }),
    );
    const placed = await advanceUntil(
      s.clock,
      async () => {
        const kick = await activeMachineOf(s, 'replace-kick0.service');
        const moved = await activeElsewhere(s, 'replace.0.service', oldHost);
        return kick && moved[0] && { kick, replaced: moved[0].machineID };
      },
      { what: 'replace-kick0 on the old host and replace.0 moved' },
    );
    expect(placed.kick).toBe(oldHost);
    expect(placed.replaced).not.toBe(oldHost);
  });

  it('§12.70 circular Replaces (replace.0 ↔ replace.1) → only one unit is launched', async () => {
    const s = await start(2);
    await launch(s, 'replace.0.service', serviceWith({ Replaces: 'replace.1.service' }));
    await advanceUntil(s.clock, async () => activeMachineOf(s, 'replace.0.service'), {
      what: 'replace.0 active',
    });
    await launch(s, 'replace.1.service', serviceWith({ Replaces: 'replace.0.service' }));
    await holdsFor(s.clock, 30_000, async () => undefined);
    const units = await listUnits(s);
    expect(units).toHaveLength(2);
    expect(units.filter((u) => u.currentState === 'launched')).toHaveLength(1);
    expect((await activeUnits(s)).size).toBe(1);
  });

  it('§12.71 template metadata@.service with MachineMetadata=hostname=%i: instances land on the matching host; metadata@invalid never launches', async () => {
    const hosts = ['smoke0', 'smoke1', 'smoke2'];
    const s = await start(
      [M1, M2, M3].map((id, i) => ({
        id,
        primaryIP: `10.0.0.${i + 1}`,
        metadata: { hostname: hosts[i] as string },
      })),
    );
    const template: UnitOption[] = serviceWith({ MachineMetadata: 'hostname=%i' });
    expect((await s.putUnit('metadata@.service', { options: template })).status).toBe(201);
    // The server has no template linkage (§8): each instance gets its own copy of the options.
    for (const host of hosts) await launch(s, `metadata@${host}.service`, template);
    await launch(s, 'metadata@invalid.service', template);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 3, {
      what: '3 metadata instances active',
    });
    expect(await activeMachineOf(s, 'metadata@smoke0.service')).toBe(M1);
    expect(await activeMachineOf(s, 'metadata@smoke1.service')).toBe(M2);
    expect(await activeMachineOf(s, 'metadata@smoke2.service')).toBe(M3);
    await holdsFor(s.clock, 20_000, async () => {
      const invalid = await getUnit(s, 'metadata@invalid.service');
      expect(invalid).toMatchObject({ desiredState: 'launched', currentState: 'inactive' });
      expect(invalid?.machineID).toBeUndefined();
    });
  });

  it('§12.73 3 conflicting units on 4 nodes; the host of one dies → only that unit migrates, to the free node', async () => {
    const s = await start(4);
    const names = [0, 1, 2].map((i) => `conflict.${i}.service`);
    for (const name of names) await launch(s, name, serviceWith({ Conflicts: 'conflict.*.service' }));
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 3, {
      what: '3 conflict units active',
    });
    const before = new Map<string, string>();
    for (const name of names) before.set(name, (await activeMachineOf(s, name)) as string);
    const used = new Set(before.values());
    expect(used.size).toBe(3);
    const free = clusterMachines(4)
      .map((m) => m.id)
      .find((id) => !used.has(id));
    const victim = names[1] as string;
    const deadHost = before.get(victim) as string;
    s.sim.cluster.killMachine(deadHost);
    const moved = await advanceUntil(
      s.clock,
      async () => (await activeElsewhere(s, victim, deadHost))[0]?.machineID,
      { what: `${victim} active on another machine`, maxMs: MACHINE_LOSS_MS },
    );
    expect(moved).toBe(free);
    for (const name of names.filter((n) => n !== victim)) {
      expect(await activeMachineOf(s, name)).toBe(before.get(name));
      expect((await getUnit(s, name))?.machineID).toBe(before.get(name));
    }
  });
});
