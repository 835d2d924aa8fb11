import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { M1, M2, M3, observedMachine, replay, send } from '../test-helpers/observed-replay.js';

// Replays shared/fleet-observed/multi.md: three machines, six `Conflicts=web@*.service` instances, a
// Global unit and a unit pinned by MachineID; then a graceful fleetd stop, a restart, a crash.

let sim: FleetSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const JSON_CT: [string, string][] = [['Content-Type', 'application/json']];
const WEB_OPTS =
  '[{"section":"Service","name":"ExecStart","value":"/bin/sleep 1000"},{"section":"X-Fleet","name":"Conflicts","value":"web@*.service"}]';
const WEB_HASH = 'd2c407cb784af95a3086e0141527dc5fa9fc0290';
const AGENT_HASH = '627317e4568b10c95c9ba4900ee65803584fb893';
const WEBS = [1, 2, 3, 4, 5, 6].map((i) => `web@${i}.service`);

interface Row {
  t: number;
  machines: number;
  /** `current@machine8` per unit, e.g. `launched@22222222` or `inactive@-`. */
  units: Record<string, string>;
}

async function snapshot(s: FleetSim): Promise<{
  machines: number;
  units: Map<string, { desiredState?: string; currentState?: string; machineID?: string }>;
  states: { name: string; machineID: string; hash: string; systemdActiveState: string }[];
}> {
  const m = await send(s, { method: 'GET', path: '/fleet/v1/machines' });
  const u = await send(s, { method: 'GET', path: '/fleet/v1/units' });
  const st = await send(s, { method: 'GET', path: '/fleet/v1/state' });
  if (m.closed || u.closed || st.closed) throw new Error('no answer');
  type WireUnit = { name: string; desiredState?: string; currentState?: string; machineID?: string };
  const units = (JSON.parse(u.body) as { units?: WireUnit[] }).units ?? [];
  return {
    machines: ((JSON.parse(m.body) as { machines?: unknown[] }).machines ?? []).length,
    units: new Map(units.map((x) => [x.name, x])),
    states: (JSON.parse(st.body) as { states?: [] }).states ?? [],
  };
}

/** Poll every 50 ms like the transcript and keep the rows where something changed. */
async function watch(s: FleetSim, clock: ManualClock, names: string[], forMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  const start = clock.now();
  let last = '';
  for (;;) {
    const snap = await snapshot(s);
    const units: Record<string, string> = {};
    for (const n of names) {
      const u = snap.units.get(n);
      units[n] = `${u?.currentState}@${u?.machineID?.slice(0, 8) ?? '-'}`;
    }
    const key = JSON.stringify([snap.machines, units]);
    if (key !== last) rows.push({ t: clock.now() - start, machines: snap.machines, units });
    last = key;
    if (clock.now() - start >= forMs) return rows;
    await clock.advance(50);
  }
}

async function submitAll(s: FleetSim): Promise<void> {
  for (const name of WEBS) {
    await send(s, {
      method: 'PUT',
      path: `/fleet/v1/units/${name}`,
      headers: JSON_CT,
      body: `{"desiredState":"launched","options":${WEB_OPTS}}`,
    });
  }
  await send(s, {
    method: 'PUT',
    path: '/fleet/v1/units/agent.service',
    headers: JSON_CT,
    body: '{"desiredState":"launched","options":[{"section":"Service","name":"ExecStart","value":"/bin/sleep 1000"},{"section":"X-Fleet","name":"Global","value":"true"}]}',
  });
  await send(s, {
    method: 'PUT',
    path: '/fleet/v1/units/pinned.service',
    headers: JSON_CT,
    body: `{"desiredState":"launched","options":[{"section":"Service","name":"ExecStart","value":"/bin/sleep 1000"},{"section":"X-Fleet","name":"MachineID","value":"${M2}"}]}`,
  });
}

/** The steady state of the tables in multi.md: one web per live machine, agent everywhere, pinned on M2. */
async function expectSteady(s: FleetSim, live: string[]): Promise<Map<string, string>> {
  const snap = await snapshot(s);
  const webOn = new Map<string, string>();
  for (const name of WEBS) {
    const u = snap.units.get(name)!;
    expect(u.desiredState).toBe('launched');
    if (u.currentState === 'launched') webOn.set(u.machineID!, name);
    else expect([u.currentState, u.machineID], name).toEqual(['inactive', undefined]);
  }
  expect([...webOn.keys()].sort()).toEqual(live);
  const agent = snap.units.get('agent.service')!;
  expect([agent.currentState, agent.machineID]).toEqual(['inactive', undefined]);
  const agentStates = snap.states.filter((x) => x.name === 'agent.service');
  expect(agentStates.map((x) => [x.machineID, x.hash, x.systemdActiveState])).toEqual(
    live.map((m) => [m, AGENT_HASH, 'active']),
  );
  const webStates = snap.states.filter((x) => x.name.startsWith('web@'));
  expect(webStates.map((x) => [x.name, x.machineID, x.hash])).toEqual(
    [...webOn].map(([m, n]) => [n, m, WEB_HASH]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
  return webOn;
}

describe('fleet-observed/multi.md replayed against the simulator', () => {
  it.each([1, 2, 3])('seed %i: placement, graceful stop, restart, crash, restart', async (seed) => {
    const clock = new ManualClock(0);
    sim = await startFleetSim({
      clock,
      seed,
      machines: [observedMachine(M1, 1), observedMachine(M2, 2), observedMachine(M3, 3)],
    });
    const s = sim;
    await replay(s, {
      title: 'machines (via fleetd-1 unix socket)',
      method: 'GET',
      path: '/fleet/v1/machines',
      status: 200,
      response:
        '{"machines":[{"id":"11111111111111111111111111111111","metadata":{"machine":"m1","region":"local","role":"sim"},"primaryIP":"127.0.0.1"},{"id":"22222222222222222222222222222222","metadata":{"machine":"m2","region":"local","role":"sim"},"primaryIP":"127.0.0.1"},{"id":"33333333333333333333333333333333","metadata":{"machine":"m3","region":"local","role":"sim"},"primaryIP":"127.0.0.1"}]}',
    });
    await submitAll(s);
    await clock.advance(8000);

    // "State 8 s after submitting": three webs on three machines, agent on all, pinned on M2.
    let webOn = await expectSteady(s, [M1, M2, M3]);
    expect((await snapshot(s)).units.get('pinned.service')).toMatchObject({
      currentState: 'launched',
      machineID: M2,
    });
    const web3 = webOn.get(M3)!;
    await replay(s, {
      title: 'same cluster seen through fleetd-3, filtered to machine 3',
      method: 'GET',
      path: `/fleet/v1/state?machineID=${M3}`,
      status: 200,
      response: `{"states":[{"hash":"${AGENT_HASH}","machineID":"${M3}","name":"agent.service","systemdActiveState":"active","systemdLoadState":"loaded","systemdSubState":"running"},{"hash":"${WEB_HASH}","machineID":"${M3}","name":"${web3}","systemdActiveState":"active","systemdLoadState":"loaded","systemdSubState":"running"}]}`,
    });
    const idle = WEBS.find((n) => ![...webOn.values()].includes(n))!;
    await replay(s, {
      title: 'an unscheduled web instance',
      method: 'GET',
      path: `/fleet/v1/units/${idle}`,
      status: 200,
      response: `{"currentState":"inactive","desiredState":"launched","name":"${idle}","options":[{"name":"ExecStart","section":"Service","value":"/bin/sleep 1000"},{"name":"Conflicts","section":"X-Fleet","value":"web@*.service"}]}`,
    });

    // Graceful stop of fleetd-3: loaded@3333 at once, inactive@3333 (+1.02), machine gone (+1.12), unscheduled (+2.66).
    s.cluster.killMachine(M3, { graceful: true });
    let rows = await watch(s, clock, [web3], 4000);
    const seq = rows.map((r) => `${r.machines} ${r.units[web3]}`);
    expect(seq).toEqual(['3 loaded@33333333', '3 inactive@33333333', '2 inactive@33333333', '2 inactive@-']);
    expect(rows[1]!.t).toBeGreaterThanOrEqual(900);
    expect(rows[1]!.t).toBeLessThanOrEqual(1100);
    expect(rows[2]!.t).toBeGreaterThanOrEqual(1000);
    expect(rows[2]!.t).toBeLessThanOrEqual(1250);
    expect(rows[3]!.t).toBeGreaterThan(rows[2]!.t);
    expect(rows[3]!.t).toBeLessThanOrEqual(2700);
    await clock.advance(8000);
    await expectSteady(s, [M1, M2]);

    // fleetd-3 restarted: a web and the agent come back on it.
    s.cluster.reviveMachine(M3);
    await clock.advance(8000);
    webOn = await expectSteady(s, [M1, M2, M3]);

    // Crash of fleetd-2: its units stay launched@2222 until the machine expires (+15.31), then unscheduled (+16.53).
    const onM2 = ['pinned.service', webOn.get(M2)!];
    s.cluster.killMachine(M2);
    rows = await watch(s, clock, onM2, 18000);
    expect(rows.map((r) => `${r.machines} ${onM2.map((n) => r.units[n]).join(' ')}`)).toEqual([
      '3 launched@22222222 launched@22222222',
      '2 launched@22222222 launched@22222222',
      '2 inactive@- inactive@-',
    ]);
    expect(rows[1]!.t).toBeGreaterThanOrEqual(15000);
    expect(rows[1]!.t).toBeLessThanOrEqual(15400);
    expect(rows[2]!.t).toBeGreaterThan(rows[1]!.t);
    expect(rows[2]!.t).toBeLessThanOrEqual(16600);
    // "global unit states after the crash": machine 2's states are gone.
    await clock.advance(1500);
    await replay(s, {
      title: 'global unit states after the crash',
      method: 'GET',
      path: '/fleet/v1/state?unitName=agent.service',
      status: 200,
      response: `{"states":[{"hash":"${AGENT_HASH}","machineID":"${M1}","name":"agent.service","systemdActiveState":"active","systemdLoadState":"loaded","systemdSubState":"running"},{"hash":"${AGENT_HASH}","machineID":"${M3}","name":"agent.service","systemdActiveState":"active","systemdLoadState":"loaded","systemdSubState":"running"}]}`,
    });
    await expectSteady(s, [M1, M3]);
    const after = await snapshot(s);
    const pinned = after.units.get('pinned.service')!;
    expect([pinned.currentState, pinned.machineID]).toEqual(['inactive', undefined]);
    expect(after.states.filter((x) => x.name === 'pinned.service')).toEqual([]);

    // After restarting fleetd-2: pinned back on it, and one idle web takes machine 2.
    s.cluster.reviveMachine(M2);
    await clock.advance(8000);
    await expectSteady(s, [M1, M2, M3]);
    expect((await snapshot(s)).units.get('pinned.service')).toMatchObject({
      currentState: 'launched',
      machineID: M2,
    });
  });
});
