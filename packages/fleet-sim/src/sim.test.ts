import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock/manual-clock.js';
import { isFleetSimError, SimOptionsError } from './errors.js';
import { type FleetSim, startFleetSim } from './sim.js';
import { errorBody, get, put } from './test-helpers/raw-http.js';
import { svc } from './test-helpers/sim-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('startFleetSim', () => {
  it('listens on a unix socket, serves the client, and removes the socket file on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-sim-'));
    dirs.push(dir);
    const socketPath = join(dir, 'fleet.sock');
    const clock = new ManualClock(0);
    const sim = await startFleetSim({ clock, listen: { socketPath }, machines: 2 });
    expect(sim.endpoint).toBe(`unix://${socketPath}`);
    const client = createFleetClient({ endpoint: sim.endpoint, retry: { limit: 0 } });
    await client.createUnit({ name: 'hello.service', options: [svc()], desiredState: 'launched' });
    await clock.advance(6000);
    const [unit] = await client.listUnits();
    expect(unit).toMatchObject({ name: 'hello.service', currentState: 'launched' });
    expect(await client.listUnitStates({ unitName: 'hello.service' })).toHaveLength(1);
    expect(await client.listMachines()).toHaveLength(2);
    expect(await client.serverVersion()).toBe('1.0.0');
    await sim.close();
    expect(existsSync(socketPath)).toBe(false);
  });

  it('replaces a stale socket file but never another kind of file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-sim-'));
    dirs.push(dir);
    const socketPath = join(dir, 'fleet.sock');
    const first = await startFleetSim({ clock: new ManualClock(0), listen: { socketPath } });
    const stale = await startFleetSim({ clock: new ManualClock(0), listen: { socketPath } });
    await stale.close();
    await first.close();
    const file = join(dir, 'regular');
    writeFileSync(file, 'keep me');
    await expect(
      startFleetSim({ clock: new ManualClock(0), listen: { socketPath: file } }),
    ).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('listens on TCP port 0 by default at 127.0.0.1', async () => {
    const sim = await startFleetSim({ clock: new ManualClock(0) });
    try {
      expect(sim.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.cluster.machines()).toHaveLength(3);
      expect(sim.cluster.machines().every((m) => /^[0-9a-f]{32}$/.test(m.id))).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('machine ids are deterministic per seed', async () => {
    const ids = async (seed: number) => {
      const s = await startFleetSim({ clock: new ManualClock(0), seed });
      const out = s.cluster.machines().map((m) => m.id);
      await s.close();
      return out;
    };
    expect(await ids(5)).toEqual(await ids(5));
    expect(await ids(5)).not.toEqual(await ids(6));
  });

  it('real time scaled by speed: a launch completes in well under a second at speed 40', async () => {
    const sim = await startFleetSim({ speed: 40, machines: 1 });
    try {
      const started = Date.now();
      await put(sim, 'fast.service', { desiredState: 'launched', options: [svc()] });
      await sim.cluster.waitFor(() => sim.cluster.units()[0]?.currentState === 'launched', {
        timeoutMs: 3000,
      });
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await sim.close();
    }
  });

  it('close() leaves no timers behind (system clock) and is idempotent', async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const sim = await startFleetSim({ machines: 2 });
    await put(sim, 'x.service', { desiredState: 'launched', options: [svc()] });
    expect(timeouts()).toBeGreaterThan(before);
    await Promise.all([sim.close(), sim.close()]);
    expect(timeouts()).toBe(before);
    expect(() => sim.cluster.addMachine()).toThrow(/closed/);
  });

  it('close() cancels every sleeper of a ManualClock', async () => {
    const clock = new ManualClock(0);
    const sim = await startFleetSim({ clock });
    await put(sim, 'x.service', { desiredState: 'launched', options: [svc()] });
    expect(clock.pending).toBeGreaterThan(0);
    await sim.close();
    expect(clock.pending).toBe(0);
  });

  it("bugs: 'intended' answers 404 for a missing state and 400 for an invalid desiredState", async () => {
    const sim: FleetSim = await startFleetSim({ clock: new ManualClock(0), bugs: 'intended' });
    try {
      expect((await get(sim, '/state/nope.service')).body).toBe(errorBody(404, 'unit state does not exist'));
      await put(sim, 'ok.service', { options: [svc()] });
      expect((await put(sim, 'ok.service', { desiredState: 'running' })).body).toBe(
        errorBody(400, 'invalid desiredState "running"'),
      );
      expect((await get(sim, '/units/ok.service')).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('a request in flight holds autoAdvance; close() releases the hold', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const sim = await startFleetSim({ clock, machines: 1 });
    const { port } = new URL(sim.endpoint);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    socket.write('PUT /fleet/v1/units/a.service HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"opt');
    while (clock.holds === 0) await new Promise((r) => setImmediate(r));
    const start = clock.now();
    let woke = false;
    void clock.sleep(5000).then(() => {
      woke = true;
    });
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    expect(clock.now()).toBe(start);
    await sim.close();
    socket.destroy();
    for (let i = 0; i < 50 && !woke; i++) await new Promise((r) => setImmediate(r));
    expect(woke).toBe(true);
    expect(clock.holds).toBe(0);
  });

  it('rejects a duplicate machine id', async () => {
    const sim = await startFleetSim({ clock: new ManualClock(0), machines: [{ id: 'a' }] });
    try {
      expect(() => sim.cluster.addMachine({ id: 'a' })).toThrow(SimOptionsError);
    } finally {
      await sim.close();
    }
  });

  it('validates options up front', async () => {
    await expect(startFleetSim({ speed: 0 })).rejects.toBeInstanceOf(SimOptionsError);
    await expect(startFleetSim({ timings: { engineReconcile: { min: 5, max: 1 } } })).rejects.toThrow(
      /timings\.engineReconcile/,
    );
    await expect(startFleetSim({ tokenLimit: 0 })).rejects.toSatisfy((e) =>
      isFleetSimError(e, 'ERR_SIM_OPTIONS'),
    );
  });

  it('waitFor times out on the sim clock', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const sim = await startFleetSim({ clock });
    try {
      await expect(sim.cluster.waitFor(() => false, { timeoutMs: 500 })).rejects.toSatisfy((e) =>
        isFleetSimError(e, 'ERR_SIM_WAIT_TIMEOUT'),
      );
      expect(clock.now()).toBeGreaterThanOrEqual(500);
    } finally {
      await sim.close();
    }
  });

  it('autoAdvance lets a polling client run against the sim at full speed, deterministically', async () => {
    const run = async () => {
      const clock = new ManualClock(0, { autoAdvance: true });
      const sim = await startFleetSim({ clock, seed: 3 });
      const client = createFleetClient({ endpoint: sim.endpoint, retry: { limit: 0 } });
      await client.createUnit({ name: 'web@1.service', options: [svc()], desiredState: 'launched' });
      while ((await client.getUnit('web@1.service'))?.currentState !== 'launched') await clock.sleep(250);
      const t = clock.now();
      await sim.close();
      return t;
    };
    const t = await run();
    expect(t).toBeGreaterThanOrEqual(1500);
    expect(t).toBeLessThanOrEqual(4500);
    expect(await run()).toBe(t);
  });
});
