/**
 * fleet-api.md §12 cluster cases over raw HTTP, part 1: how currentState, machineID and /state
 * follow desiredState (§9), hashes, unit lifecycles. Time moves on the sim's ManualClock.
 */
import { createHash } from 'node:crypto';
import type { UnitOption } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  activeUnits,
  getUnit,
  launch,
  listStates,
  listUnits,
  putOk,
  serviceWith,
} from '../support/raw-cluster.js';
import { clusterMachines, HASH_SLEEP_100, M1, SLEEP, unitBody } from '../support/reference.js';
import { advanceUntil, holdsFor } from '../support/sim-time.js';
import { expectJson, startWireSim, type WireSim } from '../support/wire-sim.js';

/** §11.2 serialisation and §11.3 hash, written out independently of fleet-client. */
function fleetHash(options: UnitOption[]): string {
  const sections = new Map<string, string[]>();
  for (const o of options)
    sections.set(o.section, [...(sections.get(o.section) ?? []), `${o.name}=${o.value}\n`]);
  const text = [...sections].map(([s, lines]) => `[${s}]\n${lines.join('')}`).join('\n');
  return createHash('sha1').update(text).digest('hex');
}

describe('conformance (raw HTTP): currentState and unit lifecycle on a simulated cluster', () => {
  let w: WireSim | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });
  const start = async (machines: number) => {
    w = await startWireSim({ machines: clusterMachines(machines) });
    return w;
  };

  it('§12.59 scheduled + state + heartbeat → launched with machineID; stop → loaded (same machine); unload → inactive, no machineID', async () => {
    const s = await start(2);
    await launch(s, 'cs.service', SLEEP);
    const launched = await advanceUntil(
      s.clock,
      async () => {
        const unit = await getUnit(s, 'cs.service');
        const states = await listStates(s, { unitName: 'cs.service' });
        return unit?.currentState === 'launched' && states.length === 1 && { unit, state: states[0] };
      },
      { what: 'cs.service launched with a published state' },
    );
    expect(launched.unit.machineID).toBe(launched.state?.machineID);
    const machine = launched.unit.machineID as string;
    expectJson(
      await s.getUnit('cs.service'),
      unitBody({
        name: 'cs.service',
        currentState: 'launched',
        desiredState: 'launched',
        machineID: machine,
        options: SLEEP,
      }),
    );

    await putOk(s, 'cs.service', { desiredState: 'loaded' }, 204);
    const loaded = await advanceUntil(
      s.clock,
      async () => {
        const unit = await getUnit(s, 'cs.service');
        return unit?.currentState === 'loaded' && unit;
      },
      { what: 'cs.service currentState loaded' },
    );
    expect(loaded.machineID).toBe(machine);

    await putOk(s, 'cs.service', { desiredState: 'inactive' }, 204);
    await advanceUntil(s.clock, async () => (await getUnit(s, 'cs.service'))?.currentState === 'inactive', {
      what: 'cs.service currentState inactive',
    });
    expectJson(
      await s.getUnit('cs.service'),
      unitBody({ name: 'cs.service', currentState: 'inactive', desiredState: 'inactive', options: SLEEP }),
    );
    // §9.4: /state confirms the unload later.
    await advanceUntil(s.clock, async () => (await listStates(s, { unitName: 'cs.service' })).length === 0, {
      what: 'cs.service gone from /state',
    });
  });

  it('§12.59 no target (unschedulable: MachineMetadata nobody has) → stays inactive without machineID', async () => {
    const s = await start(2);
    const options = serviceWith({ MachineMetadata: 'region=mars' });
    await launch(s, 'nomatch.service', options);
    await holdsFor(s.clock, 30_000, async () => {
      expectJson(
        await s.getUnit('nomatch.service'),
        unitBody({ name: 'nomatch.service', currentState: 'inactive', desiredState: 'launched', options }),
      );
    });
    expect(await listStates(s, { unitName: 'nomatch.service' })).toEqual([]);
  });

  it('§12.60 global unit: GET /units/g.service has no currentState or machineID; GET /units shows currentState inactive', async () => {
    const s = await start(2);
    const options = serviceWith({ Global: 'true' });
    await launch(s, 'g.service', options);
    await advanceUntil(s.clock, async () => ((await activeUnits(s)).get('g.service') ?? []).length === 2, {
      what: 'g.service active on both machines',
    });
    expectJson(
      await s.getUnit('g.service'),
      unitBody({ name: 'g.service', desiredState: 'launched', options }),
    );
    expectJson(
      await s.get('units'),
      `{"units":[${unitBody({ name: 'g.service', currentState: 'inactive', desiredState: 'launched', options })}]}`,
    );
  });

  it('§12.61 UnitState.hash of [Service] ExecStart=/bin/sleep 100 is 1c6fb6f3684bafb0c173d8b8b957ceff031180c1', async () => {
    const s = await start(1);
    const cases: [string, UnitOption[], string][] = [
      ['h1.service', [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 100' }], HASH_SLEEP_100],
      [
        'h2.service',
        [
          { section: 'Unit', name: 'Description', value: 'Hello' },
          { section: 'Service', name: 'ExecStart', value: '/bin/sleep 100' },
        ],
        'cf96eb9f64b04bb56ad64db2940dee7454c30f5b',
      ],
      [
        'h3.service',
        [
          { section: 'Service', name: 'ExecStart', value: '/bin/sleep 100' },
          { section: 'Unit', name: 'Description', value: 'Hello' },
          { section: 'Service', name: 'Restart', value: 'always' },
        ],
        'b18d11df9ae19d627c619f796d7a6ddf6ed0f287',
      ],
    ];
    for (const [name, options, hash] of cases) {
      expect(fleetHash(options)).toBe(hash);
      await launch(s, name, options);
    }
    const states = await advanceUntil(
      s.clock,
      async () => {
        const all = await listStates(s);
        return all.length === 3 && all;
      },
      { what: 'three published states' },
    );
    expect(states.map((st) => [st.name, st.hash])).toEqual(cases.map(([name, , hash]) => [name, hash]));
  });

  it('§12.63 start hello.service on a 1-node cluster → within 15 s exactly one active unit, hello.service', async () => {
    const s = await start(1);
    await launch(s, 'hello.service', SLEEP);
    const active = await advanceUntil(
      s.clock,
      async () => {
        const a = await activeUnits(s);
        return a.size === 1 && a;
      },
      { what: 'one active unit', maxMs: 15_000 },
    );
    expect([...active]).toEqual([['hello.service', [M1]]]);
  });

  it('§12.72 replace contents (PUT new options without desiredState, as --replace does) → GET returns the new body; relaunch runs the new hash', async () => {
    const s = await start(1);
    await launch(s, 'rep.service', SLEEP);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).has('rep.service'), {
      what: 'rep.service active',
    });
    const next = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
    await putOk(s, 'rep.service', { options: next }, 201);
    // Right after the PUT the engine has not unscheduled it yet (errors.md: currentState stays
    // launched for ~2 s); desiredState and options change at once.
    expect(await getUnit(s, 'rep.service')).toMatchObject({ desiredState: 'inactive', options: next });
    await advanceUntil(s.clock, async () => (await getUnit(s, 'rep.service'))?.currentState === 'inactive', {
      what: 'rep.service unscheduled',
    });
    expectJson(
      await s.getUnit('rep.service'),
      unitBody({ name: 'rep.service', currentState: 'inactive', desiredState: 'inactive', options: next }),
    );
    await advanceUntil(s.clock, async () => (await listStates(s, { unitName: 'rep.service' })).length === 0, {
      what: 'rep.service unloaded',
    });
    await putOk(s, 'rep.service', { desiredState: 'launched' }, 204);
    const [state] = await advanceUntil(
      s.clock,
      async () => {
        const states = await listStates(s, { unitName: 'rep.service' });
        return states.length === 1 && states[0]?.systemdActiveState === 'active' && states;
      },
      { what: 'rep.service active again' },
    );
    expect(state?.hash).toBe(fleetHash(next));
  });

  it('§12.72 (§6) replace contents with desiredState launched → 201, stays on its machine, restarts with the new hash', async () => {
    const s = await start(2);
    await launch(s, 'inplace.service', SLEEP);
    const machine = await advanceUntil(
      s.clock,
      async () => (await activeUnits(s)).get('inplace.service')?.[0],
      { what: 'inplace.service active' },
    );
    const next = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
    await putOk(s, 'inplace.service', { desiredState: 'launched', options: next }, 201);
    const state = await advanceUntil(
      s.clock,
      async () => {
        const [st] = await listStates(s, { unitName: 'inplace.service' });
        return st?.hash === fleetHash(next) && st.systemdActiveState === 'active' && st;
      },
      { what: 'inplace.service running the new contents' },
    );
    expect(state.machineID).toBe(machine);
    expect((await getUnit(s, 'inplace.service'))?.machineID).toBe(machine);
  });

  it('§12.74 load → systemd loaded/inactive/dead; start → loaded/active/running', async () => {
    const s = await start(1);
    await putOk(s, 'sd.service', { desiredState: 'loaded', options: SLEEP });
    const loaded = await advanceUntil(
      s.clock,
      async () => {
        const [st] = await listStates(s, { unitName: 'sd.service' });
        return st && (await getUnit(s, 'sd.service'))?.currentState === 'loaded' && st;
      },
      { what: 'sd.service loaded' },
    );
    expect([loaded.systemdLoadState, loaded.systemdActiveState, loaded.systemdSubState]).toEqual([
      'loaded',
      'inactive',
      'dead',
    ]);
    await putOk(s, 'sd.service', { desiredState: 'launched' }, 204);
    const running = await advanceUntil(
      s.clock,
      async () => {
        const [st] = await listStates(s, { unitName: 'sd.service' });
        return st?.systemdActiveState === 'active' && st;
      },
      { what: 'sd.service active' },
    );
    expect([running.systemdLoadState, running.systemdActiveState, running.systemdSubState]).toEqual([
      'loaded',
      'active',
      'running',
    ]);
  });

  it('§12.75 20 instances submitted → GET /units lists them sorted by unit name (byte order)', async () => {
    const s = await start(1);
    const names = Array.from({ length: 20 }, (_, i) => `hello@${i + 1}.service`);
    for (const name of [...names].reverse()) await putOk(s, name, { options: SLEEP });
    const listed = (await listUnits(s)).map((u) => u.name);
    expect(listed).toEqual([...names].sort());
    expect(listed.slice(0, 3)).toEqual(['hello@1.service', 'hello@10.service', 'hello@11.service']);
  });

  it('§12.76 submit → destroy leaves the unit list at once; submitting again works', async () => {
    const s = await start(1);
    await putOk(s, 'hello.service', { options: SLEEP });
    expect((await listUnits(s)).map((u) => u.name)).toEqual(['hello.service']);
    expect((await s.deleteUnit('hello.service')).status).toBe(204);
    expect(await listUnits(s)).toEqual([]);
    await putOk(s, 'hello.service', { options: SLEEP });
    expect((await listUnits(s)).map((u) => u.name)).toEqual(['hello.service']);
  });

  it('§12.76 load → unload leaves /state within 15 s; loading again works', async () => {
    const s = await start(1);
    await putOk(s, 'hello.service', { desiredState: 'loaded', options: SLEEP });
    await advanceUntil(
      s.clock,
      async () => (await listStates(s, { unitName: 'hello.service' })).length === 1,
      {
        what: 'hello.service loaded',
        maxMs: 15_000,
      },
    );
    await putOk(s, 'hello.service', { desiredState: 'inactive' }, 204);
    await advanceUntil(
      s.clock,
      async () => (await listStates(s, { unitName: 'hello.service' })).length === 0,
      {
        what: 'hello.service gone from /state',
        maxMs: 15_000,
      },
    );
    await putOk(s, 'hello.service', { desiredState: 'loaded' }, 204);
    await advanceUntil(
      s.clock,
      async () => (await listStates(s, { unitName: 'hello.service' })).length === 1,
      {
        what: 'hello.service loaded again',
        maxMs: 15_000,
      },
    );
  });

  it('§12.76 (§4.4) DELETE of a launched unit: GET is 404 at once, its /state entry stays until the agent stops it', async () => {
    const s = await start(1);
    await launch(s, 'gone.service', SLEEP);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).has('gone.service'), {
      what: 'gone.service active',
    });
    expect((await s.deleteUnit('gone.service')).status).toBe(204);
    expect((await s.getUnit('gone.service')).status).toBe(404);
    expect(await listUnits(s)).toEqual([]);
    // lifecycle.md §6: right after DELETE, GET /state/{name} still answers with the running state.
    const lingering = await s.send('GET', '/fleet/v1/state/gone.service');
    expect(lingering.status).toBe(200);
    expect(JSON.parse(lingering.body)).toMatchObject({ name: 'gone.service', systemdActiveState: 'active' });
    await advanceUntil(s.clock, async () => (await listStates(s)).length === 0, {
      what: 'gone.service gone from /state',
      maxMs: 15_000,
    });
  });

  it('§12.76 start → stop leaves the active units within 15 s; starting again works; destroy clears /state', async () => {
    const s = await start(1);
    await launch(s, 'hello.service', SLEEP);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).has('hello.service'), {
      what: 'hello.service active',
      maxMs: 15_000,
    });
    await putOk(s, 'hello.service', { desiredState: 'loaded' }, 204);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).size === 0, {
      what: 'no active unit after stop',
      maxMs: 15_000,
    });
    await putOk(s, 'hello.service', { desiredState: 'launched' }, 204);
    await advanceUntil(s.clock, async () => (await activeUnits(s)).has('hello.service'), {
      what: 'hello.service active again',
      maxMs: 15_000,
    });
    expect((await s.deleteUnit('hello.service')).status).toBe(204);
    await advanceUntil(s.clock, async () => (await listStates(s)).length === 0, {
      what: '/state empty after destroy',
      maxMs: 15_000,
    });
  });
});
