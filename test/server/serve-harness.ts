/**
 * fs serve against the simulator (ManualClock): services.yaml and unit files in a temp dir, the
 * server on a loopback port (or a unix socket), a token, and a tiny HTTP client.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient } from '@fleet-service/fleet-client';
import { createServer, type FsServer, loadServeConfig, type ServeOptions } from '@fleet-service/server';
import { type Harness, harness } from '../rollout/sim-harness.js';

export const TOKEN = 'SPECIFIY_SOME_TOKEN_HERE';

export const FAST_DEFAULTS = `defaults:
  minHealthy: 2s
  pollInterval: 500ms
  timeouts: { stop: 60s, gone: 60s, launched: 60s, healthy: 60s }
  progressDeadline: 300s
`;

export interface ServiceDef {
  name: string;
  image?: string;
  version?: string;
  count?: number;
  allowUpdates?: boolean;
  /** More lines of the entry (e.g. `    task: web-task.service`). */
  extra?: string;
  /** More files beside services.yaml: name → contents. */
  files?: Record<string, string>;
}

/** A unit that names its image literally (as most fleet units do). */
export function imageUnit(image: string, tag: string): string {
  return `[Unit]
Description=${image}

[Service]
ExecStartPre=-/usr/bin/docker pull ${image}:${tag}
ExecStart=/usr/bin/docker run --rm --name %p-%i ${image}:${tag}
`;
}

export function writeConfig(dir: string, services: ServiceDef[]): string {
  const lines = [FAST_DEFAULTS, 'services:'];
  for (const s of services) {
    const image = s.image ?? `me/${s.name}`;
    writeFileSync(join(dir, `${s.name}@.service`), imageUnit(image, s.version ?? 'latest'));
    lines.push(`  - name: ${s.name}@.service`);
    if (s.version !== undefined) lines.push(`    version: "${s.version}"`);
    lines.push(
      `    count: ${s.count ?? 2}`,
      `    image: ${image}`,
      `    allowUpdates: ${s.allowUpdates ?? true}`,
    );
    if (s.extra) lines.push(s.extra);
    for (const [name, text] of Object.entries(s.files ?? {})) writeFileSync(join(dir, name), text);
  }
  const file = join(dir, 'services.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface ServeHarness extends Harness {
  dir: string;
  server: FsServer;
  base: string;
  /** Start another server (a replica, or the same state dir after a "restart"). */
  start(extra?: Partial<ServeOptions>): Promise<{ server: FsServer; base: string }>;
  call(method: string, path: string, opts?: CallOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  auth?: string | null;
  base?: string;
  socketPath?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One HTTP request with node:http (keeps the exact bytes: no client-side JSON rules). */
export function call(base: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const body = opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.auth !== null) headers.authorization ??= opts.auth ?? `Bearer ${TOKEN}`;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const url = opts.socketPath ? new URL(`http://fs.local${path}`) : new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, headers, ...(opts.socketPath ? { socketPath: opts.socketPath } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function serveHarness(
  services: ServiceDef[],
  opts: Partial<ServeOptions> & { machines?: number; stateDir?: string } = {},
): Promise<ServeHarness> {
  const h = await harness({ machines: opts.machines ?? 3 });
  const dir = mkdtempSync(join(tmpdir(), 'fs-serve-'));
  const file = writeConfig(dir, services);
  const config = await loadServeConfig({ file });
  const servers: FsServer[] = [];
  const start = async (extra: Partial<ServeOptions> = {}) => {
    const api = createFleetClient({
      endpoint: h.sim.endpoint,
      clock: h.clock,
      retry: { limit: 4, initialDelay: 100, maxDelay: 1000, factor: 2 },
    });
    const server = createServer({
      api,
      config,
      clock: h.clock,
      credentials: { tokens: [TOKEN], users: [{ user: 'ci', password: 'pa55' }] },
      listen: '127.0.0.1:0',
      lock: { settleMs: 200, ttlMs: 30_000 },
      lockRetryMs: 1_000,
      host: 'test',
      pid: 1,
      ...opts,
      ...extra,
    });
    servers.push(server);
    const at = await server.listen();
    return { server, base: at.startsWith('/') ? 'http://fs.local' : at };
  };
  const first = await start();
  return {
    ...h,
    dir,
    server: first.server,
    base: first.base,
    start,
    call: (method, path, o = {}) => call(o.base ?? first.base, method, path, o),
    async close() {
      for (const s of servers) await s.close().catch(() => {});
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll GET /v1/rollouts/{id} until it ended (the clock runs itself; no real sleeping). */
export async function settled(x: ServeHarness, id: string, base = x.base): Promise<any> {
  for (let turn = 0; turn < 100_000; turn++) {
    const a = await call(base, 'GET', `/v1/rollouts/${id}`);
    if (a.json?.state === 'finished' || a.json?.state === 'superseded') return a.json;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`rollout ${id} did not end`);
}
