// A real npm registry on loopback for the round-trip test: Verdaccio (6.8.x, Node 20) in a child
// process with a temporary storage and config. `@fleet-service/*` is served only from what the
// test publishes (no uplink: a package the test did not publish is a 404, never the public copy);
// every other package is proxied from the uplink, the npm registry this machine installs from
// (`npm config get registry`), and cached in `storage`. Why an uplink and not a pre-seeded copy
// of got & co.: it is what a private registry in front of npm does, it needs no list of
// third-party versions kept in step with the lockfile, and with a storage kept between runs
// (node_modules/.cache, see the test) a second run is served from the cache, even offline; a
// fresh CI clone fetches them once through the uplink. The `@fleet-service` part of the storage
// is emptied on every start: those packages only ever come from this run's publish.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface Registry {
  url: string;
  /** An auth token for the user the helper created (publishing needs one). */
  token: string;
  close(): Promise<void>;
}

/**
 * Starts Verdaccio with its config in `dir` and its package storage in `storage` (default
 * `dir/storage`); rejects if it does not come up.
 */
export async function startVerdaccio(
  dir: string,
  storage = join(dir, 'storage'),
  timeoutMs = 30_000,
): Promise<Registry> {
  rmSync(join(storage, '@fleet-service'), { recursive: true, force: true });
  const port = await freePort();
  const uplink = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${storage}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      'uplinks:',
      '  npm:',
      `    url: ${uplink}`,
      '    timeout: 60s',
      'packages:',
      "  '@fleet-service/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    proxy: npm',
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const bin = createRequire(import.meta.url).resolve('verdaccio/bin/verdaccio');
  const child = fork(bin, ['--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, VERDACCIO_HANDLE_KILL_SIGNALS: 'true' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d));
  child.stderr?.on('data', (d: Buffer) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start in ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Verdaccio on 127.0.0.1:${port} ${why}:\n${output}`));
    };
    child.on('message', (m: { verdaccio_started?: boolean }) => {
      if (!m?.verdaccio_started) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => fail(`exited (${code})`));
    child.once('error', (error) => fail(`failed to spawn: ${error.message}`));
  });
  const url = `http://127.0.0.1:${port}/`;
  child.removeAllListeners('exit');
  return { url, token: await addUser(url), close: () => stop(child) };
}

/** `npm adduser`'s request: creates user `fs-test` and returns its token. */
async function addUser(url: string): Promise<string> {
  const name = 'fs-test';
  const response = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'fs-test-password', email: 'fs-test@example.invalid' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token)
    throw new Error(`Verdaccio adduser: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
