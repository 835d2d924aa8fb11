import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../observe/types.js';
import { DEFAULT_TIMINGS } from '../options.js';
import { errorBody, get, put, raw } from '../test-helpers/raw-http.js';
import { type Fixture, fixture, svc } from '../test-helpers/sim-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f.close();
});

const systemd = (f: Fixture, unit: string) =>
  f.sim.cluster.timeline.events
    .filter((e: TimelineEvent) => e.unit === unit && e.kind === 'systemd')
    .map((e) => `${e.to}@${e.time}`);
const env = (value: string) => ({ section: 'Service', name: 'Environment', value });

describe('unit faults', () => {
  it('a start that fails at once: loaded/failed/failed, still currentState launched (heartbeat kept)', async () => {
    f = await fixture({
      machines: 1,
      faults: [
        { kind: 'unit-start-fails', match: { option: { name: 'Environment', value: 'VERSION=bad' } } },
      ],
    });
    await f.launch('bad.service', [svc(), env('VERSION=bad')]);
    await f.launch('good.service', [svc(), env('VERSION=good')]);
    await f.clock.advance(6000);
    const states = Object.fromEntries(
      (await f.states()).map((s) => [
        s.name,
        `${s.systemdLoadState}/${s.systemdActiveState}/${s.systemdSubState}`,
      ]),
    );
    expect(states).toEqual({
      'bad.service': 'loaded/failed/failed',
      'good.service': 'loaded/active/running',
    });
    expect(await f.unit('bad.service')).toMatchObject({ currentState: 'launched' });
  });

  it('ExecStart=/bin/false fails by default; /bin/true exits (dead, or exited with RemainAfterExit)', async () => {
    f = await fixture({ machines: 1 });
    await f.launch('false.service', [svc('/bin/false')]);
    await f.launch('true.service', [svc('/bin/true')]);
    await f.launch('oneshot.service', [
      svc('/usr/bin/true'),
      { section: 'Service', name: 'RemainAfterExit', value: 'yes' },
    ]);
    await f.clock.advance(6000);
    const states = Object.fromEntries(
      (await f.states()).map((s) => [s.name, `${s.systemdActiveState}/${s.systemdSubState}`]),
    );
    expect(states).toEqual({
      'false.service': 'failed/failed',
      'oneshot.service': 'active/exited',
      'true.service': 'inactive/dead',
    });
  });

  it('fails after N ms of running, matched by name glob', async () => {
    f = await fixture({ machines: 1 });
    f.sim.cluster.addFault({ kind: 'unit-start-fails', match: { name: 'web@*.service' }, after: 3000 });
    await f.launch('web@1.service', [svc()]);
    await f.launch('other.service', [svc()]);
    await f.clock.advance(10_000);
    const web = systemd(f, 'web@1.service');
    expect(web.map((s) => s.split('@')[0])).toEqual([
      'loaded/inactive/dead',
      'loaded/activating/start',
      'loaded/active/running',
      'loaded/failed/failed',
    ]);
    const running = Number(web[2]!.split('@')[1]);
    expect(Number(web[3]!.split('@')[1]) - running).toBe(3000);
    expect(systemd(f, 'other.service').at(-1)).toMatch(/^loaded\/active\/running/);
  });

  it('flapping: running → activating/auto-restart → running, again and again', async () => {
    f = await fixture({ machines: 1, timings: { flapDown: 500 } });
    f.sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { name: 'flap.service' },
      after: 1000,
      flapping: true,
    });
    await f.launch('flap.service', [svc()]);
    await f.clock.advance(8000);
    const subs = systemd(f, 'flap.service').map((s) => s.split('@')[0]!.split('/')[2]);
    expect(subs.slice(2, 7)).toEqual(['running', 'auto-restart', 'running', 'auto-restart', 'running']);
  });

  it('slow start stays activating/start for the extra delay', async () => {
    f = await fixture({ machines: 1 });
    f.sim.cluster.addFault({ kind: 'unit-slow-start', match: { name: 'slow.service' }, delayMs: 4000 });
    await f.launch('slow.service', [svc()]);
    await f.clock.advance(12_000);
    const ev = systemd(f, 'slow.service');
    const at = (to: string) => Number(ev.find((e) => e.startsWith(to))!.split('@')[1]);
    expect(at('loaded/active/running') - at('loaded/activating/start')).toBe(
      DEFAULT_TIMINGS.unitStart + 4000,
    );
  });

  it('machine-dies at a given time', async () => {
    f = await fixture({
      machines: [{ id: 'a1' }, { id: 'b2' }],
      faults: [{ kind: 'machine-dies', machineID: 'b2', atMs: 3000 }],
    });
    await f.clock.advance(2999);
    expect(f.sim.cluster.machines().map((m) => m.alive)).toEqual([true, true]);
    await f.clock.advance(1);
    expect(f.sim.cluster.machines().map((m) => m.alive)).toEqual([true, false]);
  });
});

describe('API faults', () => {
  it('api-error by route and count, then normal answers', async () => {
    f = await fixture({ machines: 1 });
    const id = f.sim.cluster.addFault({
      kind: 'api-error',
      route: 'PUT /units/*',
      status: 500,
      message: 'boom',
      count: 2,
    });
    expect(id).toMatch(/^fault-/);
    expect((await put(f.sim, 'a.service', { options: [svc()] })).body).toBe(errorBody(500, 'boom'));
    expect((await get(f.sim, '/units')).status).toBe(200);
    expect((await put(f.sim, 'a.service', { options: [svc()] })).status).toBe(500);
    expect((await put(f.sim, 'a.service', { options: [svc()] })).status).toBe(201);
    expect(f.sim.cluster.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
      ['PUT', 500, 'api-error'],
      ['GET', 200, undefined],
      ['PUT', 500, 'api-error'],
      ['PUT', 201, undefined],
    ]);
  });

  it('api-etcd-unavailable answers 503 on every path, discovery included, until removed', async () => {
    f = await fixture({ machines: 1 });
    const id = f.sim.cluster.addFault({ kind: 'api-etcd-unavailable' });
    for (const path of ['/units', '/discovery', '/machines']) {
      const r = await get(f.sim, path);
      expect([r.status, r.body, r.headers.server]).toEqual([
        503,
        errorBody(503, 'fleet server unable to communicate with etcd'),
        'fleetd/v1.0.0',
      ]);
    }
    f.sim.cluster.removeFault(id);
    expect((await get(f.sim, '/units')).status).toBe(200);
  });

  it('api-reset closes the connection before applying; api-drop-response applies, then closes', async () => {
    f = await fixture({ machines: 1 });
    f.sim.cluster.addFault({ kind: 'api-reset', route: 'PUT /units/reset.service', count: 1 });
    f.sim.cluster.addFault({ kind: 'api-drop-response', route: 'PUT /units/drop.service', count: 1 });
    await expect(put(f.sim, 'reset.service', { options: [svc()] })).rejects.toThrow();
    await expect(put(f.sim, 'drop.service', { options: [svc()] })).rejects.toThrow();
    expect(f.sim.cluster.units().map((u) => u.name)).toEqual(['drop.service']);
    expect(f.sim.cluster.requests.map((r) => r.status)).toEqual([0, 0]);
  });

  it('api-latency delays the answer by clock time', async () => {
    f = await fixture({ machines: 1 });
    f.sim.cluster.addFault({ kind: 'api-latency', route: 'GET /machines', delayMs: 2000 });
    await f.clock.advance(5000);
    expect(f.clock.pending).toBe(0);
    let answered = false;
    const pending = get(f.sim, '/machines').then((r) => {
      answered = true;
      return r;
    });
    while (f.clock.pending === 0) await new Promise((r) => setImmediate(r));
    await f.clock.advance(1000);
    expect(answered).toBe(false);
    await f.clock.advance(1500);
    expect((await pending).status).toBe(200);
    expect(f.sim.cluster.requests[0]!.durationMs).toBe(2000);
  });

  it('probability is seeded: the same seed gives the same pattern', async () => {
    const pattern = async (seed: number) => {
      const g = await fixture({
        machines: 1,
        seed,
        faults: [{ kind: 'api-error', route: '/fleet/v1/units', status: 502, probability: 0.5 }],
      });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await get(g.sim, '/units')).status);
      await g.close();
      return out;
    };
    f = await fixture({ machines: 1 });
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a).toContain(502);
    expect(a).toContain(200);
  });

  it("route '*' matches every request, 'METHOD *' every path of that method", async () => {
    f = await fixture({ machines: 1 });
    f.sim.cluster.addFault({ kind: 'api-error', route: 'PUT *', status: 502, count: 1 });
    expect((await get(f.sim, '/units')).status).toBe(200);
    expect((await put(f.sim, 'a.service', { options: [svc()] })).status).toBe(502);
    f.sim.cluster.addFault({ kind: 'api-error', route: '*', status: 500, count: 2 });
    expect((await get(f.sim, '/machines')).status).toBe(500);
    expect((await raw(f.sim, { path: '/' })).status).toBe(500);
    expect((await get(f.sim, '/machines')).status).toBe(200);
  });

  it('machine-dies at an absolute clock time', async () => {
    const g = await fixture({ machines: [{ id: 'a1' }] });
    await g.clock.advance(1000);
    g.sim.cluster.addFault({ kind: 'machine-dies', atMs: g.clock.now() + 500 });
    await g.clock.advance(499);
    expect(g.sim.cluster.machines()[0]!.alive).toBe(true);
    await g.clock.advance(1);
    expect(g.sim.cluster.machines()[0]!.alive).toBe(false);
    f = g;
  });

  it('clearFaults removes everything; counters count routes and mutations', async () => {
    f = await fixture({ machines: 1, faults: [{ kind: 'api-error', status: 500 }] });
    expect((await get(f.sim, '/units')).status).toBe(500);
    f.sim.cluster.clearFaults();
    await put(f.sim, 'x.service', { options: [svc()] });
    await raw(f.sim, { method: 'DELETE', path: '/fleet/v1/units/x.service' });
    expect(f.sim.cluster.counters()).toEqual({
      requests: 3,
      byRoute: { 'GET /units': 1, 'PUT /units/{name}': 1, 'DELETE /units/{name}': 1 },
      mutations: 2,
    });
  });
});
