/**
 * fleet-api.md §12 cluster cases through fleet-client: states, currentState, hashes, names and
 * fleet's functional scheduling tests, observed only through FleetApi calls while the sim's
 * ManualClock moves.
 */
import {
  type FleetClient,
  parseUnitName,
  type UnitOption,
  type UnitState,
  unitHash,
} from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientSim, startClientSim } from '../support/client-sim.js';
import { serviceWith } from '../support/raw-cluster.js';
import {
  clusterMachines,
  HASH_SLEEP_100,
  M1,
  M2,
  M3,
  MACHINES_XXX_YYY,
  SLEEP,
} from '../support/reference.js';
import { advanceUntil, holdsFor } from '../support/sim-time.js';

const MACHINE_LOSS_MS = 120_000;

/** `{unit → [machineID…]}` of systemd-active /state entries, via listUnitStates. */
async function active(client: FleetClient): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (const s of await client.listUnitStates()) {
    if (s.systemdActiveState === 'active' && s.name)
      map.set(s.name, [...(map.get(s.name) ?? []), s.machineID ?? '']);
  }
  return map;
}

async function activeOn(client: FleetClient, name: string): Promise<string | undefined> {
  const machines = (await active(client)).get(name) ?? [];
  return machines.length === 1 ? machines[0] : undefined;
}

describe('conformance (fleet-client): cluster cases', () => {
  let cs: ClientSim | undefined;
  afterEach(async () => {
    await cs?.close();
    cs = undefined;
  });
  const start = async (machines: Parameters<typeof startClientSim>[0] = {}) => {
    cs = await startClientSim(machines);
    return cs;
  };
  const launch = (c: ClientSim, name: string, options: UnitOption[]) =>
    c.client.createUnit({ name, options, desiredState: 'launched' });

  it('§12.17/§12.56 listUnitStates: sorted by (name, machineID); unitName / machineID filters, alone and together; no match → []', async () => {
    const c = await start({ machines: [...MACHINES_XXX_YYY] });
    await launch(c, 'CCC.service', serviceWith({ Global: 'true' }));
    await launch(c, 'BBB.service', serviceWith({ MachineID: 'XXX' }));
    await launch(c, 'AAA.service', serviceWith({ MachineID: 'YYY' }));
    await advanceUntil(c.clock, async () => (await c.client.listUnitStates()).length === 4, {
      what: '4 states',
    });
    const pairs = (states: UnitState[]) => states.map((s) => `${s.name}/${s.machineID}`);
    expect(pairs(await c.client.listUnitStates())).toEqual([
      'AAA.service/YYY',
      'BBB.service/XXX',
      'CCC.service/XXX',
      'CCC.service/YYY',
    ]);
    expect(pairs(await c.client.listUnitStates({ unitName: 'CCC.service' }))).toEqual([
      'CCC.service/XXX',
      'CCC.service/YYY',
    ]);
    expect(pairs(await c.client.listUnitStates({ machineID: 'XXX' }))).toEqual([
      'BBB.service/XXX',
      'CCC.service/XXX',
    ]);
    expect(pairs(await c.client.listUnitStates({ unitName: 'CCC.service', machineID: 'YYY' }))).toEqual([
      'CCC.service/YYY',
    ]);
    expect(await c.client.listUnitStates({ unitName: 'nope.service' })).toEqual([]);
    expect(await c.client.listUnitStates({ machineID: 'zzz' })).toEqual([]);
  });

  it('§12.17 (§4.5) filters are resent with every page: 3 states of one machine at limit 2', async () => {
    const c = await start({ machines: clusterMachines(2), tokenLimit: 2 });
    for (const name of ['a.service', 'b.service', 'c.service'])
      await launch(c, name, serviceWith({ MachineID: M1 }));
    await launch(c, 'other.service', serviceWith({ MachineID: M2 }));
    await advanceUntil(c.clock, async () => (await c.client.listUnitStates()).length === 4, {
      what: '4 states',
    });
    const onM1 = await c.client.listUnitStates({ machineID: M1 });
    expect(onM1.map((s) => s.name)).toEqual(['a.service', 'b.service', 'c.service']);
  });

  it('§12.57/§12.58 the client never calls GET /state/{name} (it lists /state?unitName= instead)', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await launch(c, 'one.service', SLEEP);
    await advanceUntil(
      c.clock,
      async () => (await c.client.listUnitStates({ unitName: 'one.service' })).length === 1,
      {
        what: 'one.service state',
      },
    );
    expect(await c.client.listUnitStates({ unitName: 'nope.service' })).toEqual([]);
    const stateCalls = c.sim.cluster.requests.filter((r) => r.path.includes('/state'));
    expect(stateCalls.length).toBeGreaterThan(1);
    expect(stateCalls.filter((r) => /\/state\/./.test(r.path))).toEqual([]);
  });

  it('§12.59 launched with machineID; stop → loaded on the same machine; unload → inactive without machineID', async () => {
    const c = await start({ machines: clusterMachines(2) });
    await launch(c, 'cs.service', SLEEP);
    const unit = await advanceUntil(
      c.clock,
      async () => {
        const u = await c.client.getUnit('cs.service');
        return u?.currentState === 'launched' && u;
      },
      { what: 'cs.service launched' },
    );
    const [state] = await c.client.listUnitStates({ unitName: 'cs.service' });
    expect(unit.machineID).toBe(state?.machineID);
    await c.client.setUnitTargetState('cs.service', 'loaded');
    const loaded = await advanceUntil(
      c.clock,
      async () => {
        const u = await c.client.getUnit('cs.service');
        return u?.currentState === 'loaded' && u;
      },
      { what: 'cs.service loaded' },
    );
    expect(loaded.machineID).toBe(unit.machineID);
    await c.client.setUnitTargetState('cs.service', 'inactive');
    const inactive = await advanceUntil(
      c.clock,
      async () => {
        const u = await c.client.getUnit('cs.service');
        return u?.currentState === 'inactive' && u;
      },
      { what: 'cs.service inactive' },
    );
    expect(inactive.machineID).toBeUndefined();
  });

  it('§12.60 global unit: getUnit has no currentState or machineID; listUnits shows currentState inactive', async () => {
    const c = await start({ machines: clusterMachines(2) });
    const options = serviceWith({ Global: 'true' });
    await launch(c, 'g.service', options);
    await advanceUntil(c.clock, async () => ((await active(c.client)).get('g.service') ?? []).length === 2, {
      what: 'g.service on both machines',
    });
    expect(await c.client.getUnit('g.service')).toEqual({
      name: 'g.service',
      desiredState: 'launched',
      options,
    });
    expect(await c.client.listUnits()).toEqual([
      { name: 'g.service', desiredState: 'launched', currentState: 'inactive', options },
    ]);
  });

  it('§12.61 unitHash([Service] ExecStart=/bin/sleep 100) = 1c6fb6f3…, and equals the sim’s UnitState.hash', async () => {
    const options = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 100' }];
    expect(unitHash(options)).toBe(HASH_SLEEP_100);
    const c = await start({ machines: clusterMachines(1) });
    await launch(c, 'h.service', options);
    const [state] = await advanceUntil(
      c.clock,
      async () => {
        const states = await c.client.listUnitStates({ unitName: 'h.service' });
        return states.length === 1 && states;
      },
      { what: 'h.service state' },
    );
    expect(state?.hash).toBe(HASH_SLEEP_100);
  });

  it('§12.62 parseUnitName: foo@bar.service → template foo@.service, instance bar, prefix foo; foo@.service is a template; foo.service neither', () => {
    expect(parseUnitName('foo@bar.service')).toMatchObject({
      template: 'foo@.service',
      instance: 'bar',
      prefix: 'foo',
      isInstance: true,
      isTemplate: false,
    });
    expect(parseUnitName('foo@.service')).toMatchObject({ isTemplate: true, isInstance: false });
    expect(parseUnitName('foo.service')).toMatchObject({
      isTemplate: false,
      isInstance: false,
      instance: '',
    });
  });

  it('§12.62 foo (no dot) is invalid: createUnit refuses it before sending', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await expect(c.client.createUnit({ name: 'foo', options: SLEEP })).rejects.toMatchObject({
      name: 'FleetValidationError',
    });
  });

  it('§12.63 start hello.service on one node → within 15 s exactly one active unit, hello.service', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await launch(c, 'hello.service', SLEEP);
    const a = await advanceUntil(
      c.clock,
      async () => {
        const m = await active(c.client);
        return m.size === 1 && m;
      },
      { what: 'one active unit', maxMs: 15_000 },
    );
    expect([...a]).toEqual([['hello.service', [M1]]]);
  });

  it('§12.64 5 units conflicting by glob on 3 machines → 3 active on 3 distinct machines; 5 listed', async () => {
    const c = await start({ machines: clusterMachines(3) });
    for (let i = 0; i < 5; i++)
      await launch(c, `conflict.${i}.service`, serviceWith({ Conflicts: 'conflict.*.service' }));
    expect(await c.client.listUnits()).toHaveLength(5);
    await advanceUntil(c.clock, async () => (await active(c.client)).size === 3, { what: '3 active' });
    await holdsFor(c.clock, 20_000, async () => {
      const a = await active(c.client);
      expect(a.size).toBe(3);
      expect(new Set([...a.values()].flat()).size).toBe(3);
    });
  });

  it('§12.65 one-way conflict on one node: hello waits for conflicts-with-hello to be destroyed', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await launch(c, 'conflicts-with-hello.service', serviceWith({ Conflicts: 'hello.service' }));
    await advanceUntil(c.clock, async () => (await active(c.client)).has('conflicts-with-hello.service'), {
      what: 'conflicts-with-hello active',
    });
    await launch(c, 'hello.service', SLEEP);
    await holdsFor(c.clock, 20_000, async () => {
      expect((await c.client.getUnit('hello.service'))?.currentState).toBe('inactive');
    });
    expect(await c.client.destroyUnit('conflicts-with-hello.service')).toBe(true);
    await advanceUntil(
      c.clock,
      async () => {
        const a = await active(c.client);
        return a.size === 1 && a.has('hello.service');
      },
      { what: 'hello.service the only active unit' },
    );
  });

  it('§12.66 MachineOf pairs share a machine and migrate together when it dies', async () => {
    const c = await start({ machines: clusterMachines(3) });
    for (let i = 0; i < 3; i++) {
      await launch(c, `ping.${i}.service`, SLEEP);
      await launch(c, `pong.${i}.service`, serviceWith({ MachineOf: `ping.${i}.service` }));
    }
    await advanceUntil(c.clock, async () => (await active(c.client)).size === 6, { what: '6 active' });
    for (let i = 0; i < 3; i++) {
      expect(await activeOn(c.client, `pong.${i}.service`)).toBe(
        await activeOn(c.client, `ping.${i}.service`),
      );
    }
    const host = (await activeOn(c.client, 'ping.1.service')) as string;
    c.sim.cluster.killMachine(host);
    const moved = await advanceUntil(
      c.clock,
      async () => {
        const ping = (await c.client.getUnit('ping.1.service'))?.machineID;
        const pong = (await c.client.getUnit('pong.1.service'))?.machineID;
        const a = await active(c.client);
        const up = (n: string, m?: string) => !!m && m !== host && (a.get(n) ?? []).includes(m);
        return up('ping.1.service', ping) && up('pong.1.service', pong) && { ping, pong };
      },
      { what: 'ping.1/pong.1 re-launched elsewhere', maxMs: MACHINE_LOSS_MS },
    );
    expect(moved.pong).toBe(moved.ping);
    expect((await c.client.listMachines()).map((m) => m.id)).not.toContain(host);
  });

  it('§12.67 MachineID=<full id> (and the 8-character short id) pins the unit', async () => {
    const c = await start({ machines: clusterMachines(3) });
    await launch(c, 'pin-full.service', serviceWith({ MachineID: M2 }));
    await launch(c, 'pin-short.service', serviceWith({ MachineID: M3.slice(0, 8) }));
    await advanceUntil(c.clock, async () => (await active(c.client)).size === 2, { what: '2 pinned active' });
    expect(await activeOn(c.client, 'pin-full.service')).toBe(M2);
    expect(await activeOn(c.client, 'pin-short.service')).toBe(M3);
  });

  it('§12.68 global unit on 3 nodes → one state per machine; restart (loaded → launched) leaves 3 active', async () => {
    const c = await start({ machines: clusterMachines(3) });
    await launch(c, 'global.service', serviceWith({ Global: 'true' }));
    const three = async () => ((await active(c.client)).get('global.service') ?? []).sort();
    await advanceUntil(c.clock, async () => (await three()).length === 3, { what: 'global on 3' });
    expect(await three()).toEqual([M1, M2, M3]);
    await c.client.setUnitTargetState('global.service', 'loaded');
    await advanceUntil(c.clock, async () => (await three()).length === 0, { what: 'global stopped' });
    await c.client.setUnitTargetState('global.service', 'launched');
    await advanceUntil(c.clock, async () => (await three()).length === 3, { what: 'global on 3 again' });
  });

  it('§12.69 mutually conflicting global units → only the first runs, everywhere', async () => {
    const c = await start({ machines: clusterMachines(3) });
    const options = serviceWith({ Global: 'true', Conflicts: 'conflict-global.*.service' });
    await launch(c, 'conflict-global.0.service', options);
    await advanceUntil(
      c.clock,
      async () => ((await active(c.client)).get('conflict-global.0.service') ?? []).length === 3,
      { what: 'first global on 3' },
    );
    await launch(c, 'conflict-global.1.service', options);
    await holdsFor(c.clock, 20_000, async () => {
      const a = await active(c.client);
      expect(a.get('conflict-global.0.service')?.length).toBe(3);
      expect(a.has('conflict-global.1.service')).toBe(false);
    });
  });

  it('§12.70 Replaces on 2 machines → both active on different machines; circular Replaces → one launched', async () => {
    const c = await start({ machines: clusterMachines(2) });
    await launch(c, 'replace.0.service', SLEEP);
    await advanceUntil(c.clock, async () => activeOn(c.client, 'replace.0.service'), {
      what: 'replace.0 active',
    });
    await launch(c, 'replace.1.service', serviceWith({ Replaces: 'replace.0.service' }));
    await advanceUntil(
      c.clock,
      async () => {
        const a = await activeOn(c.client, 'replace.0.service');
        const b = await activeOn(c.client, 'replace.1.service');
        return a && b && a !== b;
      },
      { what: 'replace.0 and replace.1 on different machines' },
    );

    const d = await startClientSim({ machines: clusterMachines(2) });
    try {
      await d.client.createUnit({
        name: 'replace.0.service',
        options: serviceWith({ Replaces: 'replace.1.service' }),
        desiredState: 'launched',
      });
      await advanceUntil(d.clock, async () => activeOn(d.client, 'replace.0.service'), {
        what: 'circular replace.0',
      });
      await d.client.createUnit({
        name: 'replace.1.service',
        options: serviceWith({ Replaces: 'replace.0.service' }),
        desiredState: 'launched',
      });
      await holdsFor(d.clock, 30_000, async () => undefined);
      const units = await d.client.listUnits();
      expect(units.filter((u) => u.currentState === 'launched')).toHaveLength(1);
    } finally {
      await d.close();
    }
  });

  it('§12.71 MachineMetadata=hostname=%i places instances on matching hosts; metadata@invalid never launches', async () => {
    const hosts = ['smoke0', 'smoke1', 'smoke2'];
    const c = await start({
      machines: [M1, M2, M3].map((id, i) => ({ id, metadata: { hostname: hosts[i] as string } })),
    });
    const template = serviceWith({ MachineMetadata: 'hostname=%i' });
    await c.client.createUnit({ name: 'metadata@.service', options: template });
    for (const host of [...hosts, 'invalid']) await launch(c, `metadata@${host}.service`, template);
    await advanceUntil(c.clock, async () => (await active(c.client)).size === 3, {
      what: '3 instances active',
    });
    expect(await activeOn(c.client, 'metadata@smoke0.service')).toBe(M1);
    expect(await activeOn(c.client, 'metadata@smoke1.service')).toBe(M2);
    expect(await activeOn(c.client, 'metadata@smoke2.service')).toBe(M3);
    await holdsFor(c.clock, 20_000, async () => {
      expect(await c.client.getUnit('metadata@invalid.service')).toMatchObject({ currentState: 'inactive' });
    });
  });

  it('§12.72 replace contents without desiredState → getUnit shows the new options; relaunched with the new hash', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await launch(c, 'rep.service', SLEEP);
    await advanceUntil(c.clock, async () => (await active(c.client)).has('rep.service'), {
      what: 'rep active',
    });
    const next = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
    expect(await c.client.createUnit({ name: 'rep.service', options: next })).toEqual({
      contentsWritten: true,
    });
    expect(await c.client.getUnit('rep.service')).toMatchObject({ desiredState: 'inactive', options: next });
    await advanceUntil(
      c.clock,
      async () => (await c.client.listUnitStates({ unitName: 'rep.service' })).length === 0,
      {
        what: 'rep unloaded',
      },
    );
    await c.client.setUnitTargetState('rep.service', 'launched');
    await advanceUntil(
      c.clock,
      async () => {
        const [s] = await c.client.listUnitStates({ unitName: 'rep.service' });
        return s?.systemdActiveState === 'active' && s.hash === unitHash(next);
      },
      { what: 'rep running the new hash' },
    );
  });

  it('§12.73 3 conflicting units on 4 nodes; one host dies → only that unit moves, to the free node', async () => {
    const c = await start({ machines: clusterMachines(4) });
    const names = [0, 1, 2].map((i) => `conflict.${i}.service`);
    for (const name of names) await launch(c, name, serviceWith({ Conflicts: 'conflict.*.service' }));
    await advanceUntil(c.clock, async () => (await active(c.client)).size === 3, { what: '3 active' });
    const before = new Map<string, string | undefined>();
    for (const name of names) before.set(name, (await c.client.getUnit(name))?.machineID);
    const free = clusterMachines(4)
      .map((m) => m.id)
      .find((id) => ![...before.values()].includes(id));
    const deadHost = before.get('conflict.1.service') as string;
    c.sim.cluster.killMachine(deadHost);
    await advanceUntil(
      c.clock,
      async () => {
        const m = (await c.client.getUnit('conflict.1.service'))?.machineID;
        return !!m && m === free && ((await active(c.client)).get('conflict.1.service') ?? []).includes(m);
      },
      { what: 'conflict.1 active on the free node', maxMs: MACHINE_LOSS_MS },
    );
    expect((await c.client.getUnit('conflict.0.service'))?.machineID).toBe(before.get('conflict.0.service'));
    expect((await c.client.getUnit('conflict.2.service'))?.machineID).toBe(before.get('conflict.2.service'));
  });

  it('§12.74 loaded → systemd loaded/inactive/dead; launched → loaded/active/running', async () => {
    const c = await start({ machines: clusterMachines(1) });
    await c.client.createUnit({ name: 'sd.service', options: SLEEP, desiredState: 'loaded' });
    const triple = async () => {
      const [s] = await c.client.listUnitStates({ unitName: 'sd.service' });
      return s && [s.systemdLoadState, s.systemdActiveState, s.systemdSubState].join('/');
    };
    await advanceUntil(c.clock, async () => (await triple()) === 'loaded/inactive/dead', {
      what: 'loaded/inactive/dead',
    });
    await c.client.setUnitTargetState('sd.service', 'launched');
    await advanceUntil(c.clock, async () => (await triple()) === 'loaded/active/running', {
      what: 'loaded/active/running',
    });
  });

  it('§12.75 20 instances → listUnits sorted by name', async () => {
    const c = await start({ machines: clusterMachines(1) });
    const names = Array.from({ length: 20 }, (_, i) => `hello@${i + 1}.service`);
    for (const name of [...names].reverse()) await c.client.createUnit({ name, options: SLEEP });
    expect((await c.client.listUnits()).map((u) => u.name)).toEqual([...names].sort());
  });

  it('§12.76 submit/destroy, load/unload, start/stop each clean up within 15 s and can be redone', async () => {
    const c = await start({ machines: clusterMachines(1) });
    const within15 = (what: string, probe: () => Promise<boolean>) =>
      advanceUntil(c.clock, probe, { what, maxMs: 15_000 });
    const states = async () => (await c.client.listUnitStates({ unitName: 'hello.service' })).length;

    await c.client.createUnit({ name: 'hello.service', options: SLEEP });
    expect(await c.client.destroyUnit('hello.service')).toBe(true);
    expect(await c.client.listUnits()).toEqual([]);
    await c.client.createUnit({ name: 'hello.service', options: SLEEP });

    await c.client.setUnitTargetState('hello.service', 'loaded');
    await within15('loaded', async () => (await states()) === 1);
    await c.client.setUnitTargetState('hello.service', 'inactive');
    await within15('unloaded', async () => (await states()) === 0);

    await c.client.setUnitTargetState('hello.service', 'launched');
    await within15('started', async () => (await active(c.client)).has('hello.service'));
    await c.client.setUnitTargetState('hello.service', 'loaded');
    await within15('stopped', async () => (await active(c.client)).size === 0);
    await c.client.setUnitTargetState('hello.service', 'launched');
    await within15('started again', async () => (await active(c.client)).has('hello.service'));
  });
});
