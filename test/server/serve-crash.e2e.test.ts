// `fs serve` (the built CLI) killed with SIGKILL between its 202 and its first fleet request, then
// started again on the same state dir: the accepted rollout runs under its id and nothing is lost.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { call, imageUnit, type ServeHarness, serveHarness, settled, TOKEN } from './serve-harness.js';

const cli = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'bin', 'run.js');
let h: ServeHarness | undefined;
let child: ChildProcess | undefined;
let proxy: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  proxy?.close();
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = child = proxy = dir = undefined;
});

/** A pass-through to fleet that, once `hold` is set, keeps every request pending (it never reaches fleet). */
async function holdingProxy(target: string) {
  const state = { hold: false, held: [] as string[], passed: [] as string[] };
  const server = createHttpServer((req, res) => {
    if (state.hold) {
      state.held.push(`${req.method} ${req.url}`);
      return; // never answered, never forwarded
    }
    state.passed.push(`${req.method} ${req.url}`);
    const up = httpRequest(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, state, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('fs serve: kill -9 after the 202', () => {
  it('the restarted server runs the accepted rollout under the same id', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: {} });
    dir = mkdtempSync(join(tmpdir(), 'fs-serve-crash-'));
    const stateDir = join(dir, 'state');
    const socketPath = join(dir, 'fs.sock');
    const p = await holdingProxy(h.sim.endpoint);
    proxy = p.server;
    child = spawn(
      process.execPath,
      [
        cli,
        'serve',
        '--config',
        join(h.dir, 'services.yaml'),
        '--state-dir',
        stateDir,
        '--listen',
        `unix:${socketPath}`,
        '--endpoint',
        p.endpoint,
      ],
      {
        env: { ...process.env, FS_SERVE_TOKEN: TOKEN, FS_SERVE_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child!.stderr!.on('data', (c) => {
        stderr += c;
        if (stderr.includes('listening on')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`fs serve exited ${code}: ${stderr}`)));
    });
    p.state.hold = true;
    const accepted = await call('', 'POST', '/v1/services/web/rollouts', {
      body: { version: '2.0' },
      socketPath,
    });
    expect(accepted.status).toBe(202);
    while (p.state.held.length === 0) await new Promise((r) => setTimeout(r, 5)); // it tried to reach fleet
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // nothing reached fleet after the 202
    expect(p.state.passed.every((r) => r.startsWith('GET'))).toBe(true);
    const next = await h.start({ stateDir });
    const done = await settled(h, accepted.json.id, next.base);
    expect(done).toMatchObject({
      id: accepted.json.id,
      state: 'finished',
      outcome: 'succeeded',
      version: '2.0',
    });
    expect(runningWith(h.sim, 'web', unitHash(parseUnitFile(imageUnit('me/web', '2.0'))))).toHaveLength(2);
  });
});
