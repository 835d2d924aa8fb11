/**
 * Per-instance health checks (HTTP, TCP, callback). They connect only to the address their
 * template expands to. The per-attempt timeout is real time (a network timeout on a real socket);
 * the retries between attempts are the waits' polls, on the injected clock.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Machine } from '@fleet-service/fleet-client';
import { DEFAULTS, type HealthCheck, type HealthCheckConnect } from './spec.js';

export interface HealthTarget {
  unit: string;
  index: number;
  machine?: Machine;
}

/** Expand `{ip}`, `{index}`, `{machineID}`, `{name}` in a template. */
/**
 * The HTTP and TCP checks opening their connections with `connect` (an SSH tunnel's or a SOCKS
 * proxy's dial, so they reach the machines the way fleet is reached); callback checks as they are.
 */
export function checksVia(
  checks: readonly HealthCheck[],
  dial: HealthCheckConnect | undefined,
): HealthCheck[] {
  return checks.map((c) => (dial && c.kind !== 'callback' ? { ...c, connect: dial } : c));
}

export function expandTemplate(template: string, t: HealthTarget): string {
  return template
    .replaceAll('{ip}', t.machine?.primaryIP ?? '')
    .replaceAll('{index}', String(t.index))
    .replaceAll('{machineID}', t.machine?.id ?? '')
    .replaceAll('{name}', t.unit);
}

/** Run every check; resolves `undefined` when all pass, else the first failure in words. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  target: HealthTarget,
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (const check of checks) {
    const failure = await runOne(check, target, signal);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

async function runOne(check: HealthCheck, t: HealthTarget, outer?: AbortSignal): Promise<string | undefined> {
  // The per-attempt limit is a network timeout on a real socket, so it runs on real time (like the
  // fleet client's request timeout); everything else about waiting uses the injected clock.
  const timeoutMs =
    check.kind === 'callback' ? undefined : (check.timeoutMs ?? DEFAULTS.healthCheckTimeoutMs);
  const signals = [outer, timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)].filter(
    (x): x is AbortSignal => x !== undefined,
  );
  const signal = signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal;
  try {
    if (check.kind === 'http') {
      const url = expandTemplate(check.url, t);
      const status = await httpStatus(url, signal, check.connect);
      const ok =
        check.expectStatus === undefined ? status >= 200 && status < 300 : status === check.expectStatus;
      return ok ? undefined : `health check GET ${url} answered ${status}`;
    }
    if (check.kind === 'tcp') {
      const host = expandTemplate(check.host, t);
      await tcpConnect(host, check.port, signal, check.connect);
      return undefined;
    }
    const ok = await check.check({
      unit: t.unit,
      index: t.index,
      ...(t.machine ? { machine: t.machine } : {}),
      signal,
    });
    return ok ? undefined : `health check callback returned false for ${t.unit}`;
  } catch (error) {
    if (outer?.aborted) throw outer.reason;
    const what =
      check.kind === 'http'
        ? `GET ${expandTemplate(check.url, t)}`
        : check.kind === 'tcp'
          ? `tcp ${expandTemplate(check.host, t)}:${check.port}`
          : 'callback';
    return `health check ${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** `http.request`'s createConnection over the check's own `connect` (a tunnel, a proxy). */
function connectionVia(via: HealthCheckConnect, url: URL) {
  const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
  return (_options: unknown, done: (error: Error | null, socket?: Duplex) => void): undefined => {
    Promise.resolve()
      .then(() => via(target))
      .then(
        (stream) => done(null, stream),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    return undefined;
  };
}

function httpStatus(url: string, signal: AbortSignal, via?: HealthCheckConnect): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = via
      ? { method: 'GET', signal, createConnection: connectionVia(via, new URL(url)) as never }
      : { method: 'GET', signal };
    const req = request(url, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(signal.aborted ? signal.reason : e));
    req.end();
  });
}

async function tcpConnect(
  host: string,
  port: number,
  signal: AbortSignal,
  via?: HealthCheckConnect,
): Promise<void> {
  if (via) {
    // through a tunnel or proxy, "connected" means the far side opened the connection
    const opening = Promise.resolve(via({ host, port }));
    opening.then(
      (s) => signal.aborted && s.destroy(),
      () => undefined,
    );
    const stream = await Promise.race([
      opening,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
    stream.destroy();
    return;
  }
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.end();
      socket.destroy();
      resolve();
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
  });
}
