import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { M1, observedMachine, replay, send } from '../test-helpers/observed-replay.js';

// Replays shared/fleet-observed/bulk.md: 120 units on one machine, token_limit 100.

let sim: FleetSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const name = (i: number) => `bulk-${String(i).padStart(3, '0')}.service`;
const body = (i: number) =>
  JSON.stringify({
    desiredState: 'launched',
    options: [
      { section: 'Unit', name: 'Description', value: `bulk unit ${i}` },
      { section: 'Service', name: 'ExecStart', value: `/bin/sleep ${1000 + i}` },
    ],
  });
const JSON_CT: [string, string][] = [['Content-Type', 'application/json']];

async function counts(s: FleetSim): Promise<{ launched: number; active: number; states: number }> {
  let launched = 0;
  let active = 0;
  let states = 0;
  for (const page of [undefined, 'ZAACAA==']) {
    const q = page ? `?nextPageToken=${page}` : '';
    const u = await send(s, { method: 'GET', path: `/fleet/v1/units${q}` });
    const st = await send(s, { method: 'GET', path: `/fleet/v1/state${q}` });
    if (u.closed || st.closed) throw new Error('no answer');
    for (const x of (JSON.parse(u.body) as { units?: { currentState?: string }[] }).units ?? [])
      if (x.currentState === 'launched') launched++;
    for (const x of (JSON.parse(st.body) as { states?: { systemdActiveState?: string }[] }).states ?? []) {
      states++;
      if (x.systemdActiveState === 'active') active++;
    }
  }
  return { launched, active, states };
}

describe('fleet-observed/bulk.md replayed against the simulator', () => {
  it.each([1, 2])('seed %i: 120 units launch, page at 100, go inactive and are deleted', async (seed) => {
    const clock = new ManualClock(0);
    sim = await startFleetSim({ clock, seed, machines: [observedMachine(M1, 1)] });
    const s = sim;
    // "Created 120 units with desiredState=launched via sequential PUTs in 0.56 s; status codes: {201: 120}".
    for (let i = 0; i < 120; i++) {
      const r = await send(s, {
        method: 'PUT',
        path: `/fleet/v1/units/${name(i)}`,
        headers: JSON_CT,
        body: body(i),
      });
      expect(r.closed ? 0 : r.status).toBe(201);
      await clock.advance(4.7);
    }
    await clock.advance(590 - clock.now());
    expect(await counts(s)).toMatchObject({ launched: 0, active: 0 });
    // Every unit is launched and active within 5.1 s of its own PUT (the last PUT was at 0.56 s).
    await clock.advance(5660 - clock.now());
    expect(await counts(s)).toEqual({ launched: 120, active: 120, states: 120 });

    await replay(s, {
      title: 'GET /fleet/v1/units (first page)',
      method: 'GET',
      path: '/fleet/v1/units',
      status: 200,
      prefix: `{"nextPageToken":"ZAACAA==","units":[{"currentState":"launched","desiredState":"launched","machineID":"${M1}","name":"bulk-000.service","options":[{"name":"Description","section":"Unit","value":"bulk unit 0"},{"name":"ExecStart","section":"Service","value":"/bin/sleep 1000"}]},{"currentState":"launched","desiredState":"launched","machineID":"11111111111111111111111111111`,
      size: 26928,
    });
    await replay(s, {
      title: 'GET second page',
      method: 'GET',
      path: '/fleet/v1/units?nextPageToken=ZAACAA==',
      status: 200,
      prefix: `{"units":[{"currentState":"launched","desiredState":"launched","machineID":"${M1}","name":"bulk-100.service","options":[{"name":"Description","section":"Unit","value":"bulk unit 100"},{"name":"ExecStart","section":"Service","value":"/bin/sleep 1100"}]},{"currentState":"launched","desiredState":"launched","machineID":"11111111111111111111111111111111","name":"bulk-101.ser`,
      size: 5411,
    });
    await replay(s, {
      title: 'third page (limit=100,page=3): past the end',
      method: 'GET',
      path: '/fleet/v1/units?nextPageToken=ZAADAA==',
      status: 200,
      response: '{}',
    });
    await replay(s, {
      title: 'state filter on one unit among many',
      method: 'GET',
      path: '/fleet/v1/state?unitName=bulk-119.service',
      status: 200,
      response: `{"states":[{"hash":"b59ff226d7e3980c3ad70e3e62c5ec7969b89b5b","machineID":"${M1}","name":"bulk-119.service","systemdActiveState":"active","systemdLoadState":"loaded","systemdSubState":"running"}]}`,
    });
    await replay(s, {
      title: 'state filtered by machineID (pagination applies after filtering)',
      method: 'GET',
      path: `/fleet/v1/state?machineID=${M1}`,
      status: 200,
      prefix: `{"nextPageToken":"ZAACAA==","states":[{"hash":"017afa1106a05f36164bcd939ce259e1c976b633","machineID":"${M1}","name":"bulk-000.service","systemdActiveState":"active","systemd`,
      size: 21139,
    });
    const second = await send(s, { method: 'GET', path: '/fleet/v1/state?nextPageToken=ZAACAA==' });
    expect(second.closed ? undefined : JSON.parse(second.body).states.length).toBe(20);
    expect(second.closed ? undefined : JSON.parse(second.body).nextPageToken).toBeUndefined();
    const machines = await send(s, { method: 'GET', path: '/fleet/v1/machines' });
    expect(machines.closed ? undefined : JSON.parse(machines.body).machines.length).toBe(1);

    // "Set all 120 to desiredState=inactive (0.49 s of PUTs)": none launched within ~2 s, all gone later.
    const t0 = clock.now();
    for (let i = 0; i < 120; i++) {
      const r = await send(s, {
        method: 'PUT',
        path: `/fleet/v1/units/${name(i)}`,
        headers: JSON_CT,
        body: '{"desiredState":"inactive"}',
      });
      expect(r.closed ? 0 : r.status).toBe(204);
      await clock.advance(4.1);
    }
    await clock.advance(t0 + 2000 - clock.now());
    expect((await counts(s)).launched).toBe(0);
    await clock.advance(t0 + 490 + 5050 - clock.now());
    expect(await counts(s)).toEqual({ launched: 0, active: 0, states: 0 });

    // "DELETEd all 120 units in 0.31 s; status codes: {204: 120}", then `{}`.
    for (let i = 0; i < 120; i++) {
      const r = await send(s, { method: 'DELETE', path: `/fleet/v1/units/${name(i)}` });
      expect(r.closed ? 0 : r.status).toBe(204);
    }
    await replay(s, {
      title: 'after deleting all',
      method: 'GET',
      path: '/fleet/v1/units',
      status: 200,
      response: '{}',
    });
  });
});
