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

  it('refuses a bad --listen before starting anything', async () => {
    const run = await runCli(['sim', '--listen', 'nowhere'], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--listen: "nowhere" is neither unix:PATH nor HOST:PORT/);
  });
});
