import http from 'node:http';
import { expect } from 'vitest';
import type { FleetSim } from '../sim.js';

/**
 * One request/response pair copied verbatim from shared/fleet-observed/*.md (a real fleetd v1.0).
 * `response` is the exact body; `empty` means 201/204 with no body and no Content-Type; `prefix`
 * is the start of a body the transcript truncated; `closed` means no HTTP response at all.
 */
export interface ObservedExchange {
  title: string;
  method: string;
  /** As the transcript shows it; characters curl would have sent encoded are encoded here. */
  path: string;
  headers?: [string, string][];
  body?: string;
  status?: number;
  response?: string;
  empty?: boolean;
  prefix?: string;
  /** Byte length of the whole body, where the transcript states it for a truncated one. */
  size?: number;
  closed?: boolean;
}

/** What came back: a response, or `closed` when the server hung up without one. */
export type Answer =
  | { closed: false; status: number; headers: http.IncomingHttpHeaders; body: string }
  | { closed: true };

/** Send one request over raw HTTP (TCP or unix socket), exactly as given. */
export function send(sim: FleetSim, ex: Pick<ObservedExchange, 'method' | 'path' | 'headers' | 'body'>) {
  const target = sim.endpoint.startsWith('unix://')
    ? { socketPath: sim.endpoint.slice('unix://'.length) }
    : { host: new URL(sim.endpoint).hostname, port: Number(new URL(sim.endpoint).port) };
  const path = ex.path.replace(/\$/g, '%24').replace(/ /g, '%20');
  return new Promise<Answer>((resolve) => {
    const headers: string[] = ['Host', 'localhost'];
    for (const [k, v] of ex.headers ?? []) headers.push(k, v);
    const req = http.request({ ...target, method: ex.method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          closed: false,
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', () => resolve({ closed: true }));
    if (ex.body !== undefined) req.write(ex.body);
    req.end();
  });
}

/** Replay one exchange and compare status, the headers that matter and the body byte for byte. */
export async function replay(sim: FleetSim, ex: ObservedExchange): Promise<void> {
  const got = await send(sim, ex);
  const where = `${ex.title}: ${ex.method} ${ex.path}`;
  if (ex.closed) {
    expect(got.closed, where).toBe(true);
    return;
  }
  expect(got.closed, where).toBe(false);
  if (got.closed) return;
  expect(got.status, where).toBe(ex.status);
  expect(got.headers.server, where).toBe('fleetd/v1.0.0');
  if (ex.empty) {
    expect(got.body, where).toBe('');
    // PATCH /machines is the one empty answer that still says application/json (fleet-api.md §1.2).
    const ct = ex.method === 'PATCH' ? 'application/json' : undefined;
    expect(got.headers['content-type'], where).toBe(ct);
    return;
  }
  expect(got.headers['content-type'], where).toBe('application/json');
  if (ex.prefix !== undefined) expect(got.body.slice(0, ex.prefix.length), where).toBe(ex.prefix);
  else expect(got.body, where).toBe(ex.response);
  if (ex.size !== undefined) expect(Buffer.byteLength(got.body), where).toBe(ex.size);
}

/** The single machine of the recorded one-node cluster (errors.md, lifecycle.md, bulk.md). */
export const M1 = '11111111111111111111111111111111';
export const M2 = '22222222222222222222222222222222';
export const M3 = '33333333333333333333333333333333';

/** A machine as the recorded clusters configured them (`fleet.conf` metadata, loopback IP). */
export const observedMachine = (id: string, n: number) => ({
  id,
  primaryIP: '127.0.0.1',
  metadata: { machine: `m${n}`, region: 'local', role: 'sim' },
});
