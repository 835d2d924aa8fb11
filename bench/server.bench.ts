// fs serve: (1) requests per second on GET /v1/services (authenticated, the cluster listing
// cached) ÷ a bare fastify route answering the same size of JSON in the same process — goal
// ≥ 0.7× the bare route's rate (ratio = bare ÷ serve ≤ 1.43); (2) the latency a deploy request adds:
// from sending POST /v1/services/web/rollouts to the engine's first fleet request, median over
// FS_BENCH_SERVE_DEPLOYS (default 50) deploys, ÷ a bare fastify POST round trip — goal ≤ 10 ms at
// the median. Keep-alive loopback HTTP, FS_BENCH_SERVE_SECONDS (default 2) per rate, 32 in flight.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetApi } from '@fleet-service/fleet-client';
import { createServer, loadServeConfig } from '@fleet-service/server';
import Fastify from 'fastify';
import { memoryFleetApi } from './memory-fleet-api.js';
import type { BenchResult } from './run.js';

const SECONDS = Number(process.env.FS_BENCH_SERVE_SECONDS ?? 2);
const DEPLOYS = Number(process.env.FS_BENCH_SERVE_DEPLOYS ?? 50);
const IN_FLIGHT = 32;
const TOKEN = 'bench-token';

function send(
  agent: Agent,
  url: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function rate(url: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  await send(agent, url); // warm (and fill the cache)
  const until = performance.now() + SECONDS * 1_000;
  let done = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        const r = await send(agent, url);
        if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
        done++;
      }
    }),
  );
  agent.destroy();
  return done / SECONDS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-serve-'));
  const lines = ['defaults: { minHealthy: 0s, pollInterval: 10ms }', 'services:'];
  for (let i = 0; i < Math.max(20, DEPLOYS); i++) {
    writeFileSync(
      join(dir, `s${i}@.service`),
      `[Service]\nExecStart=/usr/bin/docker run me/s${i}:{{version}}\n`,
    );
    lines.push(
      `  - name: s${i}@.service`,
      '    version: "1"',
      '    count: 3',
      `    image: me/s${i}`,
      '    allowUpdates: true',
    );
  }
  writeFileSync(join(dir, 'services.yaml'), `${lines.join('\n')}\n`);
  const config = await loadServeConfig({ file: join(dir, 'services.yaml') });
  const memory = memoryFleetApi();
  let firstCallAt: number | undefined;
  const api = new Proxy(memory.api, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        firstCallAt ??= performance.now();
        return value.apply(target, args);
      };
    },
  }) as FleetApi;
  const server = createServer({
    api,
    config,
    credentials: { tokens: [TOKEN], users: [] },
    listen: '127.0.0.1:0',
    statusTtlMs: 60_000,
    parallel: Math.max(20, DEPLOYS),
    lock: { settleMs: 0 },
  });
  const base = await server.listen();
  const bare = Fastify();
  const listBody = await send(new Agent(), `${base}/v1/services`);
  // the same bytes, already serialized (as fs serve's cache holds them): the difference is fs serve's own work
  bare.get('/bare', async (_req, reply) => reply.type('application/json').send(listBody.text));
  bare.post('/bare', async () => ({ id: 'x' }));
  const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });
  try {
    const bareRate = await rate(`${bareBase}/bare`);
    const serveRate = await rate(`${base}/v1/services`);

    // accept → first fleet request, one deploy at a time (each creates another service: the in-memory fleet answers at once)
    const agent = new Agent({ keepAlive: true });
    const added: number[] = [];
    const bareTrip: number[] = [];
    for (let k = 0; k < DEPLOYS; k++) {
      const t0 = performance.now();
      await send(agent, `${bareBase}/bare`, 'POST', '{}');
      bareTrip.push(performance.now() - t0);
      firstCallAt = undefined;
      const sent = performance.now();
      const answer = await send(
        agent,
        `${base}/v1/services/s${k}/rollouts`,
        'POST',
        JSON.stringify({ version: `2.${k}` }),
      );
      if (answer.status !== 202) throw new Error(`deploy answered ${answer.status}: ${answer.text}`);
      while (firstCallAt === undefined) await new Promise((r) => setImmediate(r));
      added.push(firstCallAt - sent);
    }
    agent.destroy();
    const m = median(added);
    return [
      {
        name: 'GET /v1/services requests per second',
        ratio: bareRate / serveRate,
        baseline: 'bare fastify route rate ÷ fs serve rate',
        goal: 'fs serve ≥ 0.7× the bare route',
        max: 1 / 0.7,
        detail: {
          bareRps: Math.round(bareRate),
          serveRps: Math.round(serveRate),
          services: Math.max(20, DEPLOYS),
        },
      },
      {
        name: 'deploy accept → first fleet request (median)',
        ratio: m / median(bareTrip),
        baseline: 'added latency ÷ a bare fastify POST round trip',
        goal: '≤ 10 ms at the median',
        also: { 'median ≤ 10 ms': m <= 10 },
        detail: {
          medianMs: Number(m.toFixed(2)),
          bareRoundTripMs: Number(median(bareTrip).toFixed(2)),
          deploys: DEPLOYS,
        },
      },
    ];
  } finally {
    await bare.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
