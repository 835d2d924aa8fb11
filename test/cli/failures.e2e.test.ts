// Failures through the built `fs`: each outcome gets its own exit code, a one-sentence error
// with a hint, and diagnostics for the failing instance. Ctrl-C stops safely.
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cliIsBuilt,
  collect,
  fastEnv,
  parseJsonDoc,
  parseNdjson,
  runCli,
  spawnCli,
} from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

const isWebInstance = (name: string) => /^web@\d+\.service$/.test(name);
const V1 = unitHash(parseUnitFile(webUnit('v1')));

describe.runIf(cliIsBuilt())('fs failure paths (unix socket)', () => {
  let t: TestSim;
  let env: Record<string, string>;
  let v1: string;
  let bad: string;

  beforeAll(async () => {
    t = await startTestSim('unix');
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
    v1 = t.unitFile('web-v1.service', webUnit('v1'));
    bad = t.unitFile('web-bad.service', webUnit('bad'));
    t.sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { option: { name: 'Environment', value: 'VERSION=bad' } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  function hashes(): string[] {
    return t.sim.cluster
      .units()
      .filter((u) => isWebInstance(u.name))
      .map((u) => u.hash);
  }

  beforeEach(async () => {
    // every case starts from web v1 × 3, running
    const run = await runCli(['create', 'web', v1, '--count', '3', '--steal-lock', '--quiet'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(hashes()).toEqual([V1, V1, V1]);
  });

  it('a bad version with --on-failure rollback is rolled back: exit 7, old version serving', async () => {
    const run = await runCli(['create', 'web', bad, '--on-failure', 'rollback'], { env });
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/rolled back/);
    expect(run.stderr).toMatch(/hint: /);
    expect(run.stdout).toMatch(/rolling back/);
    expect(hashes()).toEqual([V1, V1, V1]);
  });

  it('a bad version with the default policy aborts: exit 6, diagnosis and resume hint, old instances serve', async () => {
    const run = await runCli(['create', 'web', bad], { env });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/web@1\.service/);
    expect(run.stderr).toMatch(/failed/);
    expect(run.stderr).toMatch(/resume with: fs create web .*web-bad\.service/);
    // where to read why: the unit's logs, on the machine (id and IP) it failed on
    expect(run.stderr).toMatch(
      /logs: fleetctl journal web@1\.service, or journalctl -u web@1\.service on machine [0-9a-f]{8} \(\d+\.\d+\.\d+\.\d+\)/,
    );
    // plain output: each state change once, never "absent" with a live systemd state
    const states = run.stdout.split('\n').map((l) => l.replace(/^\S+ /, ''));
    expect(states.filter((l, i) => l !== '' && l === states[i - 1])).toEqual([]);
    expect(run.stdout).not.toMatch(/absent, systemd/);
    expect(hashes().filter((h) => h === V1).length).toBeGreaterThanOrEqual(2);
  });

  it('--on-failure pause: exit 6 with --json carrying the error and the result', async () => {
    const run = await runCli(['create', 'web', bad, '--on-failure', 'pause', '--json'], { env });
    expect(run.code).toBe(6);
    const doc = parseJsonDoc(run);
    expect(doc).toMatchObject({ ok: false, exitCode: 6, error: { code: 'ERR_ROLLOUT_PAUSED' } });
  });

  it('a state that never comes: exit 5 naming the unit and the state', async () => {
    const id = t.sim.cluster.addFault({
      kind: 'unit-slow-start',
      match: { name: 'web@1.service' },
      delayMs: 3_600_000,
    });
    try {
      const v2 = t.unitFile('web-v2.service', webUnit('v2'));
      const run = await runCli(
        ['create', 'web', v2, '--healthy-timeout', '400ms', '--launched-timeout', '400ms'],
        { env },
      );
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(/timed out .*web@1\.service/);
    } finally {
      t.sim.cluster.removeFault(id);
    }
  });

  it("fleet rejects a request: exit 4 with fleet's message", async () => {
    const id = t.sim.cluster.addFault({
      kind: 'api-error',
      route: 'PUT /units/web@*',
      status: 400,
      message: 'no thanks',
    });
    try {
      const v2 = t.unitFile('web-v2.service', webUnit('v2'));
      const run = await runCli(['create', 'web', v2, '--json'], { env });
      expect(run.code).toBe(4);
      expect(JSON.stringify(parseJsonDoc(run).error)).toMatch(/no thanks/);
    } finally {
      t.sim.cluster.removeFault(id);
    }
  });

  it('Ctrl-C mid-run stops safely (exit 130, resume hint); a second rollout meanwhile gets exit 9 (lock held)', async () => {
    // web@2 takes ~4 s (real) to start: long enough to look at the lock and press Ctrl-C while the
    // engine waits, short enough for the engine to finish that step before it stops.
    const id = t.sim.cluster.addFault({
      kind: 'unit-slow-start',
      match: { name: 'web@2.service' },
      delayMs: 400_000,
    });
    const v2 = t.unitFile('web-v2.service', webUnit('v2'));
    const from = t.sim.cluster.clock.now();
    const child = spawnCli(['create', 'web', v2, '--output', 'ndjson'], { env });
    const done = collect(child);
    try {
      let seen = '';
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (d: Buffer | string) => {
          seen += d.toString();
          if (/"unit":"web@2\.service"/.test(seen) && /"type":"step-started"/.test(seen)) resolve();
        });
      });
      const second = await runCli(['create', 'web', v2], { env });
      expect(second.code).toBe(9);
      expect(second.stderr).toMatch(/locked by/);
      expect(second.stderr).toMatch(/--steal-lock/);
      // the holder: owner, host, pid, since and expiry, in text and in JSON
      expect(second.stderr).toMatch(
        /lock held by \S+ on \S+ \(pid \d+\) since \d{4}-\S+Z, expires \d{4}-\S+Z/,
      );
      const json = parseJsonDoc(await runCli(['create', 'web', v2, '--json'], { env }));
      expect(json).toMatchObject({
        exitCode: 9,
        error: {
          holder: {
            owner: expect.any(String),
            host: expect.any(String),
            pid: child.pid,
            since: expect.stringMatching(/Z$/),
            expires: expect.stringMatching(/Z$/),
          },
        },
      });
      child.kill('SIGINT');
      const run = await done;
      expect(run.code).toBe(130);
      const lines = parseNdjson(run);
      // the engine stopped safely and returned its result (or an aborted error): either way exit 130
      expect(lines.at(-1)).toMatchObject({ ok: false, exitCode: 130 });
      expect(['result', 'error']).toContain(lines.at(-1)?.type);
      expect(lines.some((l) => l.type === 'notice' && /press Ctrl-C again/.test(String(l.message)))).toBe(
        true,
      );
      expect(JSON.stringify(lines.at(-1))).toMatch(/resume with: fs create web/);
      // capacity kept while stopping: never fewer than N - maxUnavailable instances running
      expect(
        t.sim.cluster.timeline.minActive(isWebInstance, from, t.sim.cluster.clock.now()),
      ).toBeGreaterThanOrEqual(2);
    } finally {
      t.sim.cluster.removeFault(id);
      child.kill('SIGKILL');
    }
    // the lock was released: the same rollout resumes without --steal-lock
    const resume = await runCli(['create', 'web', v2], { env });
    expect(resume.code).toBe(0);
  });
  it('a second Ctrl-C exits at once (130), without waiting for the stuck step', async () => {
    const id = t.sim.cluster.addFault({
      kind: 'unit-slow-start',
      match: { name: 'web@1.service' },
      delayMs: 3_600_000,
    });
    const v2 = t.unitFile('web-v2.service', webUnit('v2'));
    const child = spawnCli(['create', 'web', v2], { env });
    const done = collect(child);
    try {
      let seen = '';
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (d: Buffer | string) => {
          seen += d.toString();
          if (/web@1\.service: replace/.test(seen)) resolve();
        });
      });
      child.kill('SIGINT');
      await new Promise<void>((resolve) => {
        let err = '';
        child.stderr?.on('data', (d: Buffer | string) => {
          err += d.toString();
          if (/press Ctrl-C again/.test(err)) resolve();
        });
      });
      const pressed = Date.now();
      child.kill('SIGINT');
      const run = await done;
      expect(run.code).toBe(130);
      expect(Date.now() - pressed).toBeLessThan(2_000);
      expect(run.stderr).toMatch(/exiting at once/);
    } finally {
      t.sim.cluster.removeFault(id);
      child.kill('SIGKILL');
    }
  });
});
