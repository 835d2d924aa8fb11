// `fs sim`: the simulator in the foreground of a real subprocess; prints its endpoint and the
// export line, serves fs, applies --fail-when, and stops cleanly on SIGTERM / SIGINT.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, collect, fastEnv, parseJsonDoc, runCli, spawnCli } from './helpers/run-cli.js';
import { webUnit } from './helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-sim-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function waitForLine(child: ReturnType<typeof spawnCli>, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in:\n${seen}`)), 15_000);
    child.stdout?.on('data', (d: Buffer | string) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

describe.runIf(cliIsBuilt())('fs sim', () => {
  it('on a unix socket: prints the export line, serves fs, fails --fail-when units, stops on SIGTERM', async () => {
    const socket = join(dir, 'fleet.sock');
    const child = spawnCli(
      [
        'sim',
        '--machines',
        '2',
        '--listen',
        `unix:${socket}`,
        '--speed',
        '100',
        '--fail-when',
        'Environment=VERSION=bad',
      ],
      { env: { NO_COLOR: '1' } },
    );
    const done = collect(child);
    const [, endpoint] = await waitForLine(child, /^export FLEETCTL_ENDPOINT=(\S+)$/m);
    expect(endpoint).toContain(socket);
    const env = fastEnv({ FLEETCTL_ENDPOINT: endpoint! });
    const machines = await runCli(['machines', '--json'], { env });
    expect((parseJsonDoc(machines).result as { machines: unknown[] }).machines).toHaveLength(2);
    const bad = join(dir, 'bad.service');
    writeFileSync(bad, webUnit('bad'));
    const run = await runCli(['create', 'web', bad, '--count', '1'], { env });
    expect(run.code).toBe(6);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/simulator stopped \(SIGTERM\)/);
    expect(existsSync(socket)).toBe(false);
  });

  it('on TCP with --json: one line when listening, one when stopped (SIGINT)', async () => {
    const child = spawnCli(['sim', '--listen', '127.0.0.1:0', '--json'], { env: { NO_COLOR: '1' } });
    const done = collect(child);
    const [line] = await waitForLine(child, /^\{.*"type":"listening".*\}$/m);
    const info = JSON.parse(line);
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ls = await runCli(['status', '--json'], { env: fastEnv({ FLEETCTL_ENDPOINT: info.endpoint }) });
    expect(parseJsonDoc(ls)).toMatchObject({ ok: true, result: { services: [] } });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/"type":"stopped","signal":"SIGINT"/);
  });

  it('--api-fault and --kill-machine: fleet answers 503 once, then a machine is gone', async () => {
    const child = spawnCli(
      [
        'sim',
        '--listen',
        '127.0.0.1:0',
        '--json',
        '--speed',
        '1000',
        '--api-fault',
        'error:503,route=GET /machines,count=1,message=etcd is away',
        '--kill-machine',
        '127.0.8.102@0s',
      ],
      { env: { NO_COLOR: '1' } },
    );
    const done = collect(child);
    const [line] = await waitForLine(child, /^\{.*"type":"listening".*\}$/m);
    const info = JSON.parse(line);
    expect(info.faults).toEqual([
      { kind: 'api-error', status: 503, message: 'etcd is away', route: 'GET /machines', count: 1 },
      { kind: 'machine-dies', machineID: expect.stringMatching(/^[0-9a-f]{32}$/), atMs: 0 },
    ]);
    const url = `${info.endpoint}/fleet/v1/machines`;
    const first = await fetch(url);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ error: { code: 503, message: 'etcd is away' } });
    // the fault was for one request; the killed machine's presence expires after its TTL (15 ms here)
    let ips: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      ips = ((await res.json()) as { machines: Array<{ primaryIP: string }> }).machines.map(
        (m) => m.primaryIP,
      );
      if (ips.length === 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ips.sort()).toEqual(['127.0.8.101', '127.0.8.103']);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });

  it.each([
    [['--api-fault', 'error:99'], /^✖ --api-fault: status "99" is not an HTTP error status \(400 to 599\)$/m],
    [['--api-fault', 'flaky'], /^✖ --api-fault: "flaky" is not a fault kind/m],
    [['--slow-start', 'web@*'], /^✖ --slow-start: "\*" is not a duration/m],
    [['--kill-machine', 'nosuch@1s'], /^✖ --kill-machine: no machine is "nosuch"\nhint: machines: /m],
  ])('refuses %j with exit 2, naming the flag', async (flags, message) => {
    const run = await runCli(['sim', '--listen', '127.0.0.1:0', ...flags], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a bad --listen before starting anything', async () => {
    const run = await runCli(['sim', '--listen', 'nowhere'], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--listen: "nowhere" is neither unix:PATH nor HOST:PORT/);
  });
});
