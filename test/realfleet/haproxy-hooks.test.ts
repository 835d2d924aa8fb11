/**
 * Issue 20 on real fleet v1.0.0: lifecycle hooks drain an instance from a real HAProxy (Debian
 * `haproxy`, runtime API on its admin socket) before it is stopped, and put it back once it is
 * healthy. Each instance is a real HTTP server the stand-in systemd starts (`node server.js %i`,
 * its port picked by index). A client hammers HAProxy during two rolling updates: without hooks
 * some requests fail (HAProxy sends to a stopped server until its health check notices); with the
 * hooks none does. Under CI=true a missing haproxy fails the test (.ci/run installs it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetClient } from '@fleet-service/fleet-client';
import { type HookContext, type Hooks, rollout } from '@fleet-service/rollout';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bed, freshName, realClient, skipReason } from './bed.js';
import { freePort, type Haproxy, hammer, haproxyBinary, startHaproxy } from './haproxy.js';
import { allRunning, eventually, hashOf, QUICK } from './rollout-kit.js';

const haproxy = haproxyBinary();
const ci = process.env.CI === 'true' || process.env.CI === '1';
const COUNT = 3;

/** An HTTP server on PORTS[index − 1] that answers its version; SIGTERM ends it at once. */
const SERVER = `
const http = require('node:http');
const index = Number(process.argv[2]);
const port = Number(process.env.PORTS.split(',')[index - 1]);
http.createServer((req, res) => res.end(process.env.FS_VERSION)).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`;

describe.skipIf(!bed)(`HAProxy drained by lifecycle hooks on real fleet v1.0.0 ${skipReason ?? ''}`, () => {
  let api: FleetClient;
  let lb: Haproxy | undefined;
  let dir: string;
  let ports: number[];
  beforeAll(async () => {
    if (!haproxy && ci)
      throw new Error('haproxy is not installed (under CI .ci/run installs Debian haproxy)');
    if (!haproxy) return;
    api = realClient({ retries: true });
    dir = mkdtempSync(join(tmpdir(), 'fs-haproxy-'));
    writeFileSync(join(dir, 'server.js'), SERVER);
    ports = [];
    for (let k = 0; k < COUNT; k++) ports.push(await freePort());
    lb = await startHaproxy(haproxy, dir, ports);
  });
  afterAll(async () => {
    await lb?.stop();
    api?.close();
  });

  const unit = (tag: string) => [
    { section: 'Unit', name: 'Description', value: `haproxy hooks test ${tag}` },
    { section: 'Service', name: 'Environment', value: `FS_VERSION=${tag}` },
    { section: 'Service', name: 'Environment', value: `PORTS=${ports.join(',')}` },
    { section: 'Service', name: 'ExecStart', value: `${process.execPath} ${join(dir, 'server.js')} %i` },
  ];

  /** The worked example of the README: drain before stop, back in once healthy. */
  const hooks = (x: Haproxy): Hooks => ({
    preStop: async ({ index }: HookContext) => {
      await x.command(`set server be/s${index} state maint`);
      // in flight requests finish first
      await eventually('drained', async () => (await x.servers()).get(`s${index}`)?.sessions === 0, 10_000);
    },
    postStart: async ({ index }: HookContext) => {
      await x.command(`set server be/s${index} state ready`);
      await eventually('back in', async () => (await x.servers()).get(`s${index}`)?.status === 'UP', 10_000);
    },
    timeoutMs: 15_000,
  });

  const allUp = async (x: Haproxy) =>
    eventually('every server UP in haproxy', async () =>
      [...(await x.servers()).values()].every((s) => s.status === 'UP'),
    );

  it.skipIf(!haproxy && !ci)(
    'a client through HAProxy sees failed requests without hooks, none with them',
    async () => {
      const x = lb!;
      const service = freshName('lb');
      const run = (tag: string, withHooks: boolean) =>
        rollout(
          { ...QUICK, service, unitFile: unit(tag), count: COUNT, ...(withHooks ? { hooks: hooks(x) } : {}) },
          { api, host: 'realfleet-test', pid: process.pid },
        );
      expect((await run('v1', false)).outcome).toBe('succeeded');
      await allUp(x);

      // without hooks: stopped servers still get requests until their health check fails twice
      let client = hammer(x.port);
      expect((await run('v2', false)).outcome).toBe('succeeded');
      const without = await client.stop();
      expect(await allRunning(api, service, hashOf(unit('v2')), COUNT)).toBe(true);
      expect(without.ok).toBeGreaterThan(100);
      expect(without.failed, JSON.stringify([...without.errors])).toBeGreaterThan(0);
      await allUp(x);

      // with hooks: drained before stop, back once healthy
      client = hammer(x.port);
      const result = await run('v3', true);
      const withHooks = await client.stop();
      expect(result.outcome).toBe('succeeded');
      expect(result.completedSteps.filter((s) => s.hooks?.includes('pre-stop'))).toHaveLength(COUNT);
      expect(withHooks.ok).toBeGreaterThan(100);
      expect(withHooks.failed, JSON.stringify([...withHooks.errors])).toBe(0);
      console.info(
        `[haproxy] without hooks: ${without.ok} ok, ${without.failed} failed ${JSON.stringify([...without.errors])}; with hooks: ${withHooks.ok} ok, 0 failed`,
      );
      expect(await allRunning(api, service, hashOf(unit('v3')), COUNT)).toBe(true);
    },
  );
});
