import { unitHash } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../observe/types.js';
import { put } from '../test-helpers/raw-http.js';
import { type Fixture, fixture, svc, xf } from '../test-helpers/sim-fixture.js';

const M1 = '11111111aaaaaaaaaaaaaaaaaaaaaaaa';
const M2 = '22222222bbbbbbbbbbbbbbbbbbbbbbbb';

let f: Fixture;
afterEach(async () => {
  await f.close();
});

const events = (f: Fixture, unit: string, kind: TimelineEvent['kind']) =>
  f.sim.cluster.timeline.events.filter((e) => e.unit === unit && e.kind === kind);
const firstTime = (f: Fixture, unit: string, kind: TimelineEvent['kind'], to: string) =>
  events(f, unit, kind).find((e) => e.to === to)?.time;

describe('agents and currentState (fleet-api.md §9.2, fleet-observed timings)', () => {
  it('§12.74/§9.3: launch goes scheduled → loaded/activating/start → active/running, launched in 2.7–5.1 s', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('hello.service', [svc()]);
    await f.clock.advance(8000);
    const scheduled = events(f, 'hello.service', 'scheduled')[0]!;
    expect(scheduled.time).toBeGreaterThanOrEqual(100);
    expect(scheduled.time).toBeLessThanOrEqual(1500);
    const systemd = events(f, 'hello.service', 'systemd').map((e) => e.to);
    expect(systemd).toEqual(['loaded/inactive/dead', 'loaded/activating/start', 'loaded/active/running']);
    // Issue 3: PUT launched → currentState launched AND /state active in 2.7–5.1 s.
    const launchedAt = firstTime(f, 'hello.service', 'current', 'launched')!;
    const activeAt = firstTime(f, 'hello.service', 'state', 'loaded/active/running')!;
    expect(Math.max(launchedAt, activeAt)).toBeGreaterThanOrEqual(2700);
    expect(Math.max(launchedAt, activeAt)).toBeLessThanOrEqual(5100);
    const [state] = await f.states('?unitName=hello.service');
    expect(state).toEqual({
      hash: unitHash([svc()]),
      machineID: M1,
      name: 'hello.service',
      systemdActiveState: 'active',
      systemdLoadState: 'loaded',
      systemdSubState: 'running',
    });
    expect(await f.unit('hello.service')).toMatchObject({ currentState: 'launched', machineID: M1 });
  });

  it('§12.74: load alone gives loaded/inactive/dead and currentState loaded (no heartbeat)', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('hello.service', [svc()], 'loaded');
    await f.clock.advance(6000);
    expect((await f.states())[0]).toMatchObject({
      systemdLoadState: 'loaded',
      systemdActiveState: 'inactive',
      systemdSubState: 'dead',
    });
    expect(await f.unit('hello.service')).toMatchObject({ currentState: 'loaded', machineID: M1 });
  });

  it('stop: currentState loaded as soon as the heartbeat clears, before systemd is inactive', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('hello.service', [svc()]);
    await f.clock.advance(6000);
    const t0 = f.clock.now();
    await f.setState('hello.service', 'loaded');
    await f.clock.advance(6000);
    const loadedAt = firstTime(f, 'hello.service', 'current', 'loaded')! - t0;
    const inactiveAt =
      events(f, 'hello.service', 'state').find((e) => e.time > t0 && e.to === 'loaded/inactive/dead')!.time -
      t0;
    expect(loadedAt).toBeGreaterThanOrEqual(1000);
    expect(loadedAt).toBeLessThanOrEqual(1200);
    expect(inactiveAt).toBeGreaterThan(loadedAt);
    expect(inactiveAt).toBeLessThanOrEqual(5000);
  });

  it('unload: currentState inactive when the engine drops the target, /state empty 2–5 s later', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('hello.service', [svc()]);
    await f.clock.advance(6000);
    const t0 = f.clock.now();
    await f.setState('hello.service', 'inactive');
    await f.clock.advance(8000);
    const inactiveAt = firstTime(f, 'hello.service', 'current', 'inactive')! - t0;
    const goneAt = events(f, 'hello.service', 'state').find((e) => e.time > t0 && e.to === '-')!.time - t0;
    expect(inactiveAt).toBeLessThanOrEqual(1500);
    expect(goneAt).toBeGreaterThanOrEqual(2000);
    expect(goneAt).toBeLessThanOrEqual(5000);
    expect(await f.states()).toEqual([]);
    expect(await f.unit('hello.service')).toEqual({
      currentState: 'inactive',
      desiredState: 'inactive',
      name: 'hello.service',
      options: [svc()].map(({ name, section, value }) => ({ name, section, value })),
    });
  });

  it('DELETE: gone from /units at once, /state keeps the entry until the agent stops it (~4–6 s)', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('hello.service', [svc()]);
    await f.clock.advance(6000);
    expect(await f.destroy('hello.service')).toBe(204);
    expect(await f.unit('hello.service')).toBeUndefined();
    expect(await f.states()).toHaveLength(1);
    await f.clock.advance(3000);
    expect(await f.states()).toHaveLength(1);
    await f.clock.advance(4000);
    expect(await f.states()).toEqual([]);
  });

  it('§6: replacing contents with desiredState launched restarts in place; /state hash changes', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    await f.launch('chg.service', [svc('/bin/sleep 1000')]);
    await f.clock.advance(6000);
    const machine = f.placement()['chg.service'];
    expect(await f.launch('chg.service', [svc('/bin/sleep 2000')])).toBe(201);
    await f.clock.advance(4000);
    expect(f.placement()['chg.service']).toBe(machine);
    const [state] = await f.states();
    expect(state).toMatchObject({
      hash: unitHash([svc('/bin/sleep 2000')]),
      systemdActiveState: 'active',
      machineID: machine,
    });
    expect(events(f, 'chg.service', 'scheduled')).toHaveLength(1);
  });

  it('§6: replacing contents without desiredState resets to inactive, unschedules and unloads', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('chg.service', [svc('/bin/sleep 1000')]);
    await f.clock.advance(6000);
    expect((await put(f.sim, 'chg.service', { options: [svc('/bin/sleep 3000')] })).status).toBe(201);
    expect(await f.unit('chg.service')).toMatchObject({ desiredState: 'inactive', currentState: 'launched' });
    await f.clock.advance(8000);
    expect(await f.unit('chg.service')).toMatchObject({ desiredState: 'inactive', currentState: 'inactive' });
    expect(await f.states()).toEqual([]);
  });

  it('§9.2: RemoveUnitState on the old machine wipes the new machine’s state — currentState drops to inactive', async () => {
    f = await fixture({
      machines: [
        { id: M1, metadata: { role: 'a' } },
        { id: M2, metadata: { role: 'b' } },
      ],
      timings: { unitStop: 3000, stateRefresh: { min: 5000, max: 5000 } },
    });
    await f.launch('mover.service', [svc(), xf('MachineMetadata', 'role=a')]);
    await f.clock.advance(6000);
    expect(f.placement()['mover.service']).toBe(M1);
    const t0 = f.clock.now();
    await fetch(`${f.sim.endpoint}/fleet/v1/machines`, {
      method: 'PATCH',
      body: JSON.stringify([
        { op: 'add', path: `/${M1}/metadata/role`, value: { value: 'b' } },
        { op: 'add', path: `/${M2}/metadata/role`, value: { value: 'a' } },
      ]),
    });
    await f.clock.advance(20_000);
    const current = events(f, 'mover.service', 'current')
      .filter((e) => e.time > t0)
      .map((e) => `${e.to}@${e.machineID?.slice(0, 1) ?? '-'}`);
    expect(current).toEqual(['inactive@-', 'launched@2', 'inactive@2', 'launched@2']);
    expect(await f.unit('mover.service')).toMatchObject({ currentState: 'launched', machineID: M2 });
  });

  it('machine death: launched until the TTL (~15 s), then unscheduled and rescheduled; dead states expire', async () => {
    f = await fixture({
      machines: [{ id: M1 }, { id: M2 }],
      timings: { stateTtl: { min: 20_000, max: 20_000 } },
    });
    await f.launch('web.service', [svc()]);
    await f.clock.advance(6000);
    expect(f.placement()['web.service']).toBe(M1);
    f.sim.cluster.killMachine(M1);
    await f.clock.advance(14_000);
    expect(await f.unit('web.service')).toMatchObject({ currentState: 'launched', machineID: M1 });
    expect(f.sim.cluster.machines().find((m) => m.id === M1)).toMatchObject({
      alive: false,
      registered: true,
    });
    await f.clock.advance(2000);
    const listed = JSON.parse(await (await fetch(`${f.sim.endpoint}/fleet/v1/machines`)).text()).machines;
    expect(listed.map((m: { id: string }) => m.id)).toEqual([M2]);
    await f.clock.advance(6000);
    expect(await f.unit('web.service')).toMatchObject({ currentState: 'launched', machineID: M2 });
    expect((await f.states()).map((s) => s.machineID)).toEqual([M2]);
    f.sim.cluster.reviveMachine(M1);
    expect(f.sim.cluster.machines().find((m) => m.id === M1)).toMatchObject({
      alive: true,
      registered: true,
    });
  });

  it('global units get one state per machine and follow new machines', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('g.service', [svc(), xf('Global', 'true')]);
    await f.clock.advance(5000);
    f.sim.cluster.addMachine({ id: M2 });
    await f.clock.advance(5000);
    expect((await f.states('?unitName=g.service')).map((s) => s.machineID)).toEqual([M1, M2]);
  });

  it('a template created launched is scheduled but systemd leaves it loaded/inactive/dead (fleet-observed)', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('tpl3@.service', [svc()]);
    await f.clock.advance(8000);
    expect(await f.unit('tpl3@.service')).toMatchObject({ currentState: 'launched', machineID: M1 });
    expect((await f.states())[0]).toMatchObject({ systemdActiveState: 'inactive', systemdSubState: 'dead' });
  });

  it('DELETE then re-create while the agent still runs it: the heartbeat is written again (launched)', async () => {
    f = await fixture({ machines: [{ id: M1 }] });
    await f.launch('again.service', [svc()]);
    await f.clock.advance(6000);
    await f.destroy('again.service');
    await f.launch('again.service', [svc()]);
    await f.clock.advance(8000);
    expect(await f.unit('again.service')).toMatchObject({ currentState: 'launched', machineID: M1 });
  });

  it('replacing a scheduled unit with a global one drops its target; every machine runs it', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    await f.launch('x.service', [svc()]);
    await f.clock.advance(6000);
    await f.launch('x.service', [svc(), xf('Global', 'true')]);
    await f.clock.advance(8000);
    expect(await f.unit('x.service')).not.toHaveProperty('machineID');
    expect((await f.states('?unitName=x.service')).map((s) => s.machineID)).toEqual([M1, M2]);
  });

  it('graceful stop (fleetd SIGTERM): loaded at once, inactive after ~1 s, machine gone ~1.1 s, rescheduled', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    await f.launch('web.service', [svc()]);
    await f.clock.advance(6000);
    expect(f.placement()['web.service']).toBe(M1);
    f.sim.cluster.killMachine(M1, { graceful: true });
    expect(await f.unit('web.service')).toMatchObject({ currentState: 'loaded', machineID: M1 });
    await f.clock.advance(1050);
    expect(await f.unit('web.service')).toMatchObject({ currentState: 'inactive', machineID: M1 });
    await f.clock.advance(100);
    expect(f.sim.cluster.machines().find((m) => m.id === M1)?.registered).toBe(false);
    await f.clock.advance(6000);
    expect(await f.unit('web.service')).toMatchObject({ currentState: 'launched', machineID: M2 });
  });
});
