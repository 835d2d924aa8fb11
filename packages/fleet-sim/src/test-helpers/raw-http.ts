import http from 'node:http';
import type { FleetSim } from '../sim.js';

/** A raw HTTP response: status, headers as sent (lower-cased names), body text; or a closed connection. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  /** Sent verbatim (already percent-encoded). */
  path: string;
  /** Header pairs as sent, duplicates allowed. */
  headers?: [string, string][];
  body?: string;
}

/** Send one request to the simulator over its own transport (TCP or unix socket), no client in between. */
export function raw(sim: FleetSim, req: RawRequest): Promise<RawResponse> {
  const target = sim.endpoint.startsWith('unix://')
    ? { socketPath: sim.endpoint.slice('unix://'.length) }
    : { host: new URL(sim.endpoint).hostname, port: Number(new URL(sim.endpoint).port) };
  return new Promise((resolve, reject) => {
    const headers: string[] = ['Host', 'fleet.local'];
    for (const [k, v] of req.headers ?? []) headers.push(k, v);
    const r = http.request(
      { ...target, method: req.method ?? 'GET', path: req.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export const JSON_HEADER: [string, string][] = [['Content-Type', 'application/json']];

/** PUT a JSON body with `Content-Type: application/json`. */
export function put(sim: FleetSim, name: string, body: unknown): Promise<RawResponse> {
  return raw(sim, {
    method: 'PUT',
    path: `/fleet/v1/units/${encodeURIComponent(name)}`,
    headers: JSON_HEADER,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const get = (sim: FleetSim, path: string): Promise<RawResponse> =>
  raw(sim, { path: `/fleet/v1${path}` });

export const O = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
export const SLEEP = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 1000' }];

/** `{"error":{"code":N,"message":M}}` as fleet writes it. */
export const errorBody = (code: number, message: string): string =>
  JSON.stringify({ error: { code, message } });
