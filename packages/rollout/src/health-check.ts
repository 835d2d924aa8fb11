/**
 * Per-instance health checks (HTTP, TCP, callback). They connect only to the address their
 * template expands to. The per-attempt timeout is real time (a network timeout on a real socket);
 * the retries between attempts are the waits' polls, on the injected clock.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Machine } from '@fleet-service/fleet-client';
import { DEFAULTS, type HealthCheck } from './spec.js';

export interface HealthTarget {
  unit: string;
  index: number;
  machine?: Machine;
}

/** Expand `{ip}`, `{index}`, `{machineID}`, `{name}` in a template. */
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
      const status = await httpStatus(url, signal);
      const ok =
        check.expectStatus === undefined ? status >= 200 && status < 300 : status === check.expectStatus;
      return ok ? undefined : `health check GET ${url} answered ${status}`;
    }
    if (check.kind === 'tcp') {
      const host = expandTemplate(check.host, t);
      await tcpConnect(host, check.port, signal);
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

function httpStatus(url: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', signal }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(signal.aborted ? signal.reason : e));
    req.end();
  });
}

function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<void> {
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
