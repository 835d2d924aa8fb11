// deployster's API on fs serve: every curl line of deployster's README replayed verbatim with the
// real curl (only told where localhost:3000 is), basic auth from FS_SERVE_USERNAME and a password
// file, every auth failure path, HTTPS; versioned deploys and tasks behind them on the simulator.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { credentialsFrom } from '@fleet-service/server';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServeHarness, serveHarness } from './serve-harness.js';
import { hasOpenssl, makeCert } from './tls-cert.js';

const run = promisify(execFile);
let h: ServeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** deployster's README, "Getting started", steps 2–6, verbatim. */
const README = {
  deploy: `curl -XPOST http://localhost:3000/v1/services/railsapp/deploys -H "Content-Type: application/json" -d '{"deploy":{"version":"9f88701", "destroy_previous": false}}' -u deployster:DONTUSETHIS`,
  task: `curl -XPOST http://localhost:3000/v1/services/railsapp/tasks -H "Content-Type: application/json" -d '{"task":{"version":"7bdae1c", "command":"bundle exec rake db:migrate"}}' -u deployster:DONTUSETHIS`,
  update: `curl -XPOST http://localhost:3000/v1/services/railsapp/deploys -H "Content-Type: application/json" -d '{"deploy":{"version":"7bdae1c", "destroy_previous": true}}' -u deployster:DONTUSETHIS`,
  units: `curl http://localhost:3000/v1/services/railsapp/units -u deployster:DONTUSETHIS`,
  shutdown: `curl -XDELETE http://localhost:3000/v1/services/railsapp/deploys/7bdae1c -u deployster:DONTUSETHIS`,
};

const TASK_TEMPLATE = `[Unit]
Description=railsapp task

[Service]
ExecStartPre=-/usr/bin/docker pull mycompany/railsapp:{{version}}
ExecStart={{command}}
`;

async function deployster(): Promise<ServeHarness> {
  const x = await serveHarness(
    [
      {
        name: 'railsapp',
        image: 'mycompany/railsapp',
        count: 1,
        extra: '    task: railsapp-task.service',
        files: { 'railsapp-task.service': TASK_TEMPLATE },
      },
    ],
    { taskTimeoutMs: 60_000, taskPollMs: 500 },
  );
  return x;
}

/** Start a server whose credentials come from the environment as `fs serve` reads them. */
async function withPasswordFile(x: ServeHarness, extra: Parameters<ServeHarness['start']>[0] = {}) {
  const file = join(x.dir, 'password');
  writeFileSync(file, 'DONTUSETHIS\n');
  const credentials = credentialsFrom({ FS_SERVE_USERNAME: 'deployster', FS_SERVE_PASSWORD_FILE: file });
  return x.start({ credentials, ...extra });
}

/** Run a README line as written, with curl told that localhost:3000 is the test server. */
async function curl(
  line: string,
  port: string,
  extra = '-s -w "\\n%{http_code}"',
): Promise<{ body: string; status: string }> {
  const { stdout } = await run('sh', [
    '-c',
    line.replace(/^curl /, `curl ${extra} --connect-to localhost:3000:127.0.0.1:${port} `),
  ]);
  const at = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, at), status: stdout.slice(at + 1) };
}

const versionedUnits = (x: ServeHarness) =>
  x.sim.cluster
    .units()
    .map((u) => u.name)
    .filter((n) => n.startsWith('railsapp-'))
    .sort();

const lastEntry = (server: ServeHarness['server']) => server.store.recent(1)[0]!;

describe.skipIf(!hasOpenssl())("fs serve: deployster's API", () => {
  it("replays every curl line of deployster's README verbatim", async () => {
    h = await deployster();
    const { server, base } = await withPasswordFile(h);
    const port = new URL(base).port;

    // 2. deploy 9f88701 beside nothing: 201, empty body
    const first = await curl(README.deploy, port);
    expect(first).toEqual({ body: '', status: '201' });
    expect(await server.deployer.waitFor(lastEntry(server).id)).toMatchObject({ outcome: 'succeeded' });
    expect(versionedUnits(h)).toEqual(['railsapp-9f88701@.service', 'railsapp-9f88701@1.service']);

    // 3. a task at 7bdae1c: progress streamed, the unit named for journalctl, `Exited (N)` last;
    // the simulator cannot run rake, so the command runs until the (test's) time limit: 124
    const task = await curl(README.task, port);
    expect(task.status).toBe('200');
    expect(task.body).toMatch(/^railsapp-task-[0-9a-f]{8}\.service: created$/m);
    expect(task.body).toMatch(/scheduled on machine [0-9a-f]+/);
    expect(task.body).toMatch(/journalctl -u railsapp-task-[0-9a-f]{8}\.service/);
    expect(task.body).toMatch(/\n\nExited \(124\)\n$/);
    expect(h.sim.cluster.units().filter((u) => u.name.includes('-task-'))).toEqual([]);

    // 4. 7bdae1c with destroy_previous: the old version goes once the new one is healthy
    const from = h.clock.now();
    expect(await curl(README.update, port)).toEqual({ body: '', status: '201' });
    expect(await server.deployer.waitFor(lastEntry(server).id)).toMatchObject({ outcome: 'succeeded' });
    expect(versionedUnits(h)).toEqual(['railsapp-7bdae1c@.service', 'railsapp-7bdae1c@1.service']);
    expect(h.sim.cluster.timeline.minActive((n) => /^railsapp-\w+@1\.service$/.test(n), from)).toBe(1);

    // 5. the units, deployster's shape
    const units = await curl(README.units, port);
    expect(units.status).toBe('200');
    expect(JSON.parse(units.body)).toEqual({
      units: [
        {
          service: 'railsapp',
          instance: '1',
          version: '7bdae1c',
          current_state: 'launched',
          desired_state: 'launched',
          machine_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      ],
    });

    // 6. shut the version down by name: 204, then no unit of it
    expect(await curl(README.shutdown, port)).toEqual({ body: '', status: '204' });
    expect(await server.deployer.waitFor(lastEntry(server).id)).toMatchObject({ outcome: 'succeeded' });
    expect(versionedUnits(h)).toEqual([]);
    expect((await curl(README.shutdown, port)).status).toBe('404');
  });

  it('refuses every auth failure: no credential 401, wrong password or user 403; no default password', async () => {
    h = await deployster();
    const { base } = await withPasswordFile(h);
    const port = new URL(base).port;
    const status = async (line: string) => (await curl(line, port)).status;
    expect(await status(README.units.replace(' -u deployster:DONTUSETHIS', ''))).toBe('401');
    expect(await status(README.units.replace('DONTUSETHIS', 'mmmhm'))).toBe('403'); // deployster's old default
    expect(await status(README.units.replace('deployster:', 'admin:'))).toBe('403');
    expect(await status(README.units)).toBe('200');
    // no password configured: no default takes its place
    expect(credentialsFrom({ FS_SERVE_USERNAME: 'deployster' })).toEqual({ tokens: [], users: [] });
  });

  it('serves the same lines over HTTPS', async () => {
    h = await deployster();
    const { cert, key, certFile } = makeCert(h.dir, 'localhost');
    const { base } = await withPasswordFile(h, { tls: { cert, key } });
    expect(base).toMatch(/^https:/);
    const port = new URL(base).port;
    const https = (line: string) => line.replace('http://localhost:3000', 'https://localhost:3000');
    const units = await curl(https(README.units), port, `-s -w "\\n%{http_code}" --cacert ${certFile}`);
    expect(units).toEqual({ body: '{"units":[]}', status: '200' });
  });

  it('tasks: one that succeeds, one that fails, one that times out — none leaves a unit behind', async () => {
    h = await deployster();
    const task = async (command: string) =>
      h!.call('POST', '/v1/services/railsapp/tasks', { body: { task: { version: '7bdae1c', command } } });
    const ok = await task('/bin/true');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.text).toMatch(/active\/exited\n/);
    expect(ok.text).toMatch(/\n\nExited \(0\)\n$/);
    const failed = await task('/bin/false');
    expect(failed.text).toMatch(/failed\/failed\n/);
    expect(failed.text).toMatch(/\n\nExited \(1\)\n$/);
    const hung = await task('/usr/bin/sleep 3600');
    expect(hung.text).toMatch(/still running after 60 s: destroyed/);
    expect(hung.text).toMatch(/\n\nExited \(124\)\n$/);
    expect(h.sim.cluster.units().filter((u) => u.name.includes('-task-'))).toEqual([]);
    // refused before anything is created
    const bad = await task('echo a\n[Service]\nUser=root');
    expect(bad.status).toBe(400);
    expect(
      (
        await h.call('POST', '/v1/services/railsapp/tasks', {
          body: { task: { version: 'x y', command: 'ls' } },
        })
      ).status,
    ).toBe(400);
    expect(
      (await h.call('POST', '/v1/services/nosuch/tasks', { body: { task: { version: '1', command: 'ls' } } }))
        .status,
    ).toBe(404);
    expect(h.sim.cluster.units().filter((u) => u.name.includes('-task-'))).toEqual([]);
  });

  it('POST …/rollback of a versioned service brings back the version that served before', async () => {
    h = await deployster();
    const deploy = (version: string) =>
      h!.call('POST', '/v1/services/railsapp/deploys?wait=true', {
        body: { deploy: { version, destroy_previous: true } },
      });
    expect((await deploy('9f88701')).status).toBe(200);
    expect((await deploy('7bdae1c')).status).toBe(200);
    expect(versionedUnits(h)).toEqual(['railsapp-7bdae1c@.service', 'railsapp-7bdae1c@1.service']);
    const back = await h.call('POST', '/v1/services/railsapp/rollback?wait=true');
    expect(back.status).toBe(200);
    expect(back.json.outcome).toBe('succeeded');
    expect(versionedUnits(h)).toEqual(['railsapp-9f88701@.service', 'railsapp-9f88701@1.service']);
  });

  it('a task whose client goes away is destroyed all the same', async () => {
    h = await deployster();
    const { request } = await import('node:http');
    const t0 = h.clock.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${h!.base}/v1/services/railsapp/tasks`, {
        method: 'POST',
        headers: { authorization: 'Bearer SPECIFIY_SOME_TOKEN_HERE', 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          req.destroy(); // gone after the first progress line
          resolve();
        });
      });
      req.on('error', () => {});
      req.end(JSON.stringify({ task: { version: '1', command: '/usr/bin/sleep 3600' } }));
      setTimeout(() => reject(new Error('no progress line')), 10_000).unref();
    });
    await h.sim.cluster.waitFor(() => !h!.sim.cluster.units().some((u) => u.name.includes('-task-')), {
      timeoutMs: 60_000,
    });
    expect(h.sim.cluster.units().filter((u) => u.name.includes('-task-'))).toEqual([]);
    // destroyed because the client went away, not by the task's 60 s limit
    expect(h.clock.now() - t0).toBeLessThan(60_000);
  });

  it('GET /v1/version', async () => {
    h = await deployster();
    const a = await h.call('GET', '/v1/version');
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ version: expect.any(String) });
  });
});
