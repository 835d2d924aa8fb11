import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, fixture, svc, xf } from '../test-helpers/sim-fixture.js';

const M = [
  '11111111aaaaaaaaaaaaaaaaaaaaaaaa',
  '22222222bbbbbbbbbbbbbbbbbbbbbbbb',
  '33333333cccccccccccccccccccccccc',
  '44444444dddddddddddddddddddddddd',
];
const machines = (n: number) =>
  M.slice(0, n).map((id, i) => ({ id, metadata: { hostname: `host${i + 1}` } }));

let f: Fixture;
afterEach(async () => {
  await f.close();
});

const running = async (f: Fixture) =>
  (await f.states())
    .filter((s) => s.systemdActiveState === 'active')
    .map((s) => `${s.name}@${s.machineID?.slice(0, 1)}`);

describe('engine scheduling (fleet-api.md §11.4, §12)', () => {
  it('§12.64: 5 units with Conflicts on 3 machines → exactly 3 run, on distinct machines; all 5 listed', async () => {
    f = await fixture({ machines: machines(3) });
    for (let i = 1; i <= 5; i++)
      await f.launch(`conflict.${i}.service`, [svc(), xf('Conflicts', 'conflict.*.service')]);
    await f.clock.advance(10_000);
    const states = await f.states();
    expect(states).toHaveLength(3);
    expect(new Set(states.map((s) => s.machineID)).size).toBe(3);
    const list = JSON.parse(await (await fetch(`${f.sim.endpoint}/fleet/v1/units`)).text()).units;
    expect(list).toHaveLength(5);
    expect(list.filter((u: { currentState: string }) => u.currentState === 'inactive')).toHaveLength(2);
  });

  it('§12.65: Conflicts block in either direction; destroying the blocker frees the unit', async () => {
    f = await fixture({ machines: machines(1) });
    await f.launch('conflicts-with-hello.service', [svc(), xf('Conflicts', 'hello.service')]);
    await f.clock.advance(5000);
    await f.launch('hello.service', [svc()]);
    await f.clock.advance(10_000);
    expect(await f.unit('hello.service')).toMatchObject({
      desiredState: 'launched',
      currentState: 'inactive',
    });
    expect((await f.unit('hello.service'))?.machineID).toBeUndefined();
    await f.destroy('conflicts-with-hello.service');
    await f.clock.advance(10_000);
    expect(await f.unit('hello.service')).toMatchObject({ currentState: 'launched', machineID: M[0] });
  });

  it('§12.66: MachineOf followers share the machine and migrate with their peer', async () => {
    f = await fixture({ machines: machines(3) });
    for (let i = 1; i <= 2; i++) {
      await f.launch(`ping.${i}.service`, [svc()]);
      await f.launch(`pong.${i}.service`, [svc(), xf('MachineOf', `ping.${i}.service`)]);
    }
    await f.clock.advance(10_000);
    const before = f.placement();
    for (let i = 1; i <= 2; i++) expect(before[`pong.${i}.service`]).toBe(before[`ping.${i}.service`]);
    const victim = before['ping.1.service']!;
    f.sim.cluster.killMachine(victim);
    await f.clock.advance(25_000);
    const after = f.placement();
    expect(after['ping.1.service']).toBeDefined();
    expect(after['ping.1.service']).not.toBe(victim);
    expect(after['pong.1.service']).toBe(after['ping.1.service']);
  });

  it('§12.67: MachineID pins to the full or the 8-character short id; a missing id never schedules', async () => {
    f = await fixture({ machines: machines(3) });
    await f.launch('full.service', [svc(), xf('MachineID', M[2]!)]);
    await f.launch('short.service', [svc(), xf('MachineID', M[1]!.slice(0, 8))]);
    await f.launch('pinned.service', [svc(), xf('MachineID', 'deadbeef')]);
    await f.clock.advance(10_000);
    expect(f.placement()).toEqual({
      'full.service': M[2],
      'pinned.service': undefined,
      'short.service': M[1],
    });
    expect(await f.unit('pinned.service')).toMatchObject({
      desiredState: 'launched',
      currentState: 'inactive',
    });
  });

  it('§12.68/60: a global unit runs on every machine; GET omits currentState, the list says inactive', async () => {
    f = await fixture({ machines: machines(3) });
    await f.launch('g.service', [svc(), xf('Global', 'true')]);
    await f.clock.advance(8000);
    expect(await running(f)).toEqual(['g.service@1', 'g.service@2', 'g.service@3']);
    const one = await f.unit('g.service');
    expect(one).not.toHaveProperty('currentState');
    expect(one).not.toHaveProperty('machineID');
    const list = JSON.parse(await (await fetch(`${f.sim.endpoint}/fleet/v1/units`)).text()).units;
    expect(list[0]).toMatchObject({ name: 'g.service', currentState: 'inactive', desiredState: 'launched' });
    expect(list[0].machineID).toBeUndefined();
  });

  it('§12.69: two global units with mutual Conflicts → only the first runs, everywhere', async () => {
    f = await fixture({ machines: machines(3) });
    await f.launch('conflict-global.1.service', [
      svc(),
      xf('Global', 'true'),
      xf('Conflicts', 'conflict-global.*.service'),
    ]);
    await f.launch('conflict-global.2.service', [
      svc(),
      xf('Global', 'true'),
      xf('Conflicts', 'conflict-global.*.service'),
    ]);
    await f.clock.advance(8000);
    expect(await running(f)).toEqual([
      'conflict-global.1.service@1',
      'conflict-global.1.service@2',
      'conflict-global.1.service@3',
    ]);
  });

  it('§12.70: Replaces takes the replaced unit’s machine and moves it elsewhere', async () => {
    f = await fixture({ machines: machines(3) });
    await f.launch('replace.0.service', [svc()]);
    await f.clock.advance(6000);
    const old = f.placement()['replace.0.service'];
    await f.launch('replace-kick0.service', [svc(), xf('Replaces', 'replace.0.service')]);
    await f.clock.advance(10_000);
    const p = f.placement();
    expect(p['replace-kick0.service']).toBe(old);
    expect(p['replace.0.service']).toBeDefined();
    expect(p['replace.0.service']).not.toBe(old);
  });

  it('§12.70: circular Replaces on one machine → only one unit is launched', async () => {
    f = await fixture({ machines: machines(1) });
    await f.launch('a.service', [svc(), xf('Replaces', 'b.service')]);
    await f.launch('b.service', [svc(), xf('Replaces', 'a.service')]);
    await f.clock.advance(10_000);
    const launched = f.sim.cluster.units().filter((u) => u.currentState === 'launched');
    expect(launched).toHaveLength(1);
  });

  it('§12.71: MachineMetadata with %i lands instances on the matching host; no match stays inactive', async () => {
    f = await fixture({ machines: machines(3) });
    const tmpl = [svc(), xf('MachineMetadata', 'hostname=%i')];
    await f.launch('metadata@host2.service', tmpl);
    await f.launch('metadata@host3.service', tmpl);
    await f.launch('metadata@invalid.service', tmpl);
    await f.clock.advance(10_000);
    expect(f.placement()).toEqual({
      'metadata@host2.service': M[1],
      'metadata@host3.service': M[2],
      'metadata@invalid.service': undefined,
    });
  });

  it('§4.8: PATCHing metadata re-evaluates placement (unschedules, then schedules elsewhere)', async () => {
    f = await fixture({ machines: machines(2) });
    await f.launch('role.service', [svc(), xf('MachineMetadata', 'role=web')]);
    await f.clock.advance(5000);
    expect(f.placement()['role.service']).toBeUndefined();
    const patch = (body: unknown) =>
      fetch(`${f.sim.endpoint}/fleet/v1/machines`, { method: 'PATCH', body: JSON.stringify(body) });
    await patch([{ op: 'add', path: `/${M[1]}/metadata/role`, value: { value: 'web' } }]);
    await f.clock.advance(5000);
    expect(f.placement()['role.service']).toBe(M[1]);
    await patch([
      { op: 'remove', path: `/${M[1]}/metadata/role` },
      { op: 'add', path: `/${M[0]}/metadata/role`, value: { value: 'web' } },
    ]);
    await f.clock.advance(5000);
    expect(f.placement()['role.service']).toBe(M[0]);
  });

  it('§12.73: 3 conflicting units on 4 nodes; a dead host’s unit alone migrates, to the free node', async () => {
    f = await fixture({ machines: machines(4) });
    for (let i = 1; i <= 3; i++) await f.launch(`c.${i}.service`, [svc(), xf('Conflicts', 'c.*.service')]);
    await f.clock.advance(8000);
    const before = f.placement();
    const used = new Set(Object.values(before));
    const free = M.find((m) => !used.has(m));
    const victim = before['c.2.service']!;
    f.sim.cluster.killMachine(victim);
    await f.clock.advance(14_000);
    expect(f.placement()['c.2.service']).toBe(victim);
    await f.clock.advance(10_000);
    const after = f.placement();
    expect(after['c.2.service']).toBe(free);
    expect(after['c.1.service']).toBe(before['c.1.service']);
    expect(after['c.3.service']).toBe(before['c.3.service']);
  });

  it('least-loaded, ties broken by machine id', async () => {
    f = await fixture({ machines: machines(3) });
    for (let i = 1; i <= 6; i++) await f.launch(`u${i}.service`, [svc()]);
    await f.clock.advance(3000);
    expect(Object.values(f.placement())).toEqual([M[0], M[1], M[2], M[0], M[1], M[2]]);
  });
});
