/**
 * A fleet-sim on a manual clock, spoken to over raw HTTP (test/helpers/raw-http.ts), plus the
 * wire-level expectations the §12 cases share.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { expect } from 'vitest';
import {
  headerValues,
  type RawResponse,
  type RawTarget,
  request,
  targetFromEndpoint,
} from '../../helpers/raw-http.js';
import { BASE, J, SERVER_HEADER } from './reference.js';

export type SimOptions = NonNullable<Parameters<typeof startFleetSim>[0]>;
export type FleetSim = Awaited<ReturnType<typeof startFleetSim>>;

export interface SendOptions {
  headers?: ReadonlyArray<readonly [string, string]>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface WireSim {
  readonly sim: FleetSim;
  readonly clock: ManualClock;
  readonly target: RawTarget;
  /** Any request; `path` is sent exactly as given (no encoding). */
  send(method: string, path: string, options?: SendOptions): Promise<RawResponse>;
  /** `GET` of a path under /fleet/v1 (e.g. `units?nextPageToken=x`) sent exactly as given. */
  get(pathUnderBase: string): Promise<RawResponse>;
  /** `PUT /fleet/v1/units/{name}` with `J`; `name` is percent-encoded like the Go client does. */
  putUnit(
    name: string,
    body: unknown,
    headers?: ReadonlyArray<readonly [string, string]>,
  ): Promise<RawResponse>;
  /** `GET /fleet/v1/units/{name}` (name percent-encoded). */
  getUnit(name: string): Promise<RawResponse>;
  /** `DELETE /fleet/v1/units/{name}` (name percent-encoded). */
  deleteUnit(name: string): Promise<RawResponse>;
  close(): Promise<void>;
}

/** The request half of a WireSim: what the shared case helpers need from any fleet (sim or real). */
export type WireTarget = Pick<WireSim, 'send' | 'get' | 'putUnit' | 'getUnit' | 'deleteUnit'>;

/** A WireTarget speaking raw HTTP to any fleet API endpoint (`http://…` or `unix:…`). */
export function wireTarget(endpoint: string): WireTarget {
  const target = targetFromEndpoint(endpoint);
  const send = (method: string, path: string, opts: SendOptions = {}) =>
    request({
      ...target,
      method,
      path,
      headers: opts.headers ?? [],
      ...(opts.body === undefined
        ? {}
        : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
    });
  return {
    send,
    get: (p) => send('GET', `${BASE}/${p}`),
    putUnit: (name, body, headers = [J]) =>
      send('PUT', `${BASE}/units/${encodeURIComponent(name)}`, { headers, body }),
    getUnit: (name) => send('GET', `${BASE}/units/${encodeURIComponent(name)}`),
    deleteUnit: (name) => send('DELETE', `${BASE}/units/${encodeURIComponent(name)}`),
  };
}

/** Options for {@link startWireSim}: the sim's own, plus listening on a fresh unix socket. */
export interface WireSimOptions extends Omit<SimOptions, 'clock' | 'listen'> {
  /** Listen on a unix socket in a fresh temp dir instead of 127.0.0.1:0. @default false */
  unixSocket?: boolean;
}

/** Start a sim with a ManualClock (time moves only when a test says so). */
export async function startWireSim(options: WireSimOptions = {}): Promise<WireSim> {
  const { unixSocket = false, ...simOptions } = options;
  const clock = new ManualClock();
  let socketDir: string | undefined;
  let listen: SimOptions['listen'];
  if (unixSocket) {
    socketDir = await mkdtemp(join(tmpdir(), 'fleet-conformance-'));
    listen = { socketPath: join(socketDir, 'fleet.sock') };
  }
  const sim = await startFleetSim({ ...simOptions, clock, ...(listen ? { listen } : {}) });
  const target = targetFromEndpoint(sim.endpoint);
  return {
    sim,
    clock,
    target,
    ...wireTarget(sim.endpoint),
    async close() {
      await sim.close();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
    },
  };
}

/** The only Content-Type header of a response, or undefined; fails on more than one. */
export function contentType(res: RawResponse): string | undefined {
  const values = headerValues(res, 'content-type');
  expect(values.length, `Content-Type headers: ${JSON.stringify(values)}`).toBeLessThanOrEqual(1);
  return values[0];
}

/** `Server: fleetd/v1.0.0`, exactly once. */
export function expectServerHeader(res: RawResponse): void {
  expect(res.closedWithoutResponse).toBe(false);
  expect(headerValues(res, 'server')).toEqual([SERVER_HEADER]);
}

/** A 200 JSON answer; with `exactBody`, byte for byte. Returns the parsed body. */
export function expectJson(res: RawResponse, exactBody?: string, status = 200): unknown {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(contentType(res)).toBe('application/json');
  if (exactBody !== undefined) expect(res.body).toBe(exactBody);
  return JSON.parse(res.body) as unknown;
}

/**
 * fleet's error entity with `status`: Content-Type application/json; with a string `message` the
 * body is compared byte for byte, with a RegExp only the message is matched.
 */
export function expectFleetError(res: RawResponse, status: number, message?: string | RegExp): string {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(contentType(res)).toBe('application/json');
  const parsed = JSON.parse(res.body) as { error: { code: number; message: string } };
  expect(parsed.error.code).toBe(status);
  expect(typeof parsed.error.message).toBe('string');
  if (typeof message === 'string')
    expect(res.body).toBe(JSON.stringify({ error: { code: status, message } }));
  else if (message) expect(parsed.error.message).toMatch(message);
  return parsed.error.message;
}

/** 201/204 from PUT or DELETE: no Content-Type, empty body (§1.2). */
export function expectNoContent(res: RawResponse, status: 201 | 204): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: '' });
  expect(headerValues(res, 'content-type')).toEqual([]);
}

/** Parse a 200 JSON body without asserting anything else. */
export function bodyOf<T>(res: RawResponse): T {
  return JSON.parse(res.body) as T;
}
