// `fs sim`'s fault flags, parsed into fleet-sim's FaultSpec (see packages/fleet-sim README,
// "Faults"): API faults, slow starts and machine deaths. Pure; errors name the flag (exit 2).
import type { ApiFaultSpec, FaultSpec } from '@fleet-service/fleet-sim';
import { parseDuration } from '../flags/duration.js';
import { UsageError } from '../usage-error.js';
import { parseUnitMatch } from './sim-options.js';

/** The API fault kinds, as `--api-fault` names them (fleet-sim's kinds without `api-`). */
export const API_FAULT_KINDS = ['error', 'etcd-unavailable', 'reset', 'latency', 'drop-response'] as const;

const KEYS = ['status', 'message', 'delay', 'route', 'probability', 'count'] as const;
type Key = (typeof KEYS)[number];
/** The keys each kind takes besides route, probability and count; the first is its bare value. */
const OWN_KEYS: Record<(typeof API_FAULT_KINDS)[number], readonly Key[]> = {
  error: ['status', 'message'],
  'etcd-unavailable': [],
  reset: [],
  latency: ['delay'],
  'drop-response': [],
};
const EXAMPLE = 'e.g. --api-fault error:503,probability=0.1 or --api-fault "latency:2s,route=GET /units"';

/**
 * `--api-fault KIND[:VALUE][,KEY=VALUE…]`, KIND one of {@link API_FAULT_KINDS}:
 *   `error:503` / `error:status=500,message=boom`  — answer with that status and fleet's error body
 *   `etcd-unavailable`                             — 503 "unable to communicate with etcd"
 *   `reset` / `drop-response`                      — close the connection (before / after applying)
 *   `latency:2s` / `latency:delay=2s`              — answer that much later (fleet time)
 * and for every kind `route=METHOD /path-glob` (or `*`), `probability=0.1` (or `10%`),
 * `count=N` (then the fault is gone). A value may contain commas unless a `KEY=` follows one.
 */
export function parseApiFault(text: string): ApiFaultSpec {
  const colon = text.indexOf(':');
  const kind = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!(API_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--api-fault: "${kind}" is not a fault kind (${API_FAULT_KINDS.join(', ')})`, {
      hint: EXAMPLE,
    });
  }
  const own = OWN_KEYS[kind as keyof typeof OWN_KEYS];
  const values = new Map<Key, string>();
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  const parts = rest === '' ? [] : rest.split(new RegExp(`,(?=\\s*(?:${KEYS.join('|')})=)`));
  parts.forEach((part, i) => {
    const m = /^\s*([a-z]+)=(.*)$/s.exec(part);
    const key = (m ? m[1] : i === 0 ? own[0] : undefined) as Key | undefined;
    if (key === undefined || !KEYS.includes(key)) {
      throw new UsageError(`--api-fault: "${part}" in "${text}" is not KEY=VALUE`, { hint: EXAMPLE });
    }
    if (!own.includes(key) && !['route', 'probability', 'count'].includes(key)) {
      throw new UsageError(`--api-fault: ${kind} takes no ${key}`, { hint: EXAMPLE });
    }
    values.set(key, m ? m[2]! : part);
  });
  const common = {
    ...(values.has('route') ? { route: values.get('route')!.trim() } : {}),
    ...(values.has('probability') ? { probability: parseProbability(values.get('probability')!) } : {}),
    ...(values.has('count') ? { count: parseCount(values.get('count')!) } : {}),
  };
  switch (kind) {
    case 'error': {
      const status = values.get('status');
      if (status === undefined) throw new UsageError('--api-fault: error needs a status, e.g. error:503');
      const n = Number(status.trim());
      if (!Number.isInteger(n) || n < 400 || n > 599) {
        throw new UsageError(`--api-fault: status "${status}" is not an HTTP error status (400 to 599)`);
      }
      const message = values.get('message');
      return { kind: 'api-error', status: n, ...(message !== undefined ? { message } : {}), ...common };
    }
    case 'latency': {
      const delay = values.get('delay');
      if (delay === undefined) throw new UsageError('--api-fault: latency needs a delay, e.g. latency:2s');
      return { kind: 'api-latency', delayMs: parseDuration(delay, 'api-fault', { minMs: 1 }), ...common };
    }
    default:
      return { kind: `api-${kind}` as 'api-reset', ...common };
  }
}

function parseProbability(text: string): number {
  const t = text.trim();
  const percent = t.endsWith('%');
  const n = Number(percent ? t.slice(0, -1) : t);
  const p = percent ? n / 100 : n;
  if (t === '' || t === '%' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new UsageError(`--api-fault: probability "${text}" is not between 0 and 1 (or 0% and 100%)`);
  }
  return p;
}

function parseCount(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < 1) {
    throw new UsageError(`--api-fault: count "${text}" is not a whole number ≥ 1`);
  }
  return n;
}

/** Splits `HEAD@DURATION` at its last `@` (unit names contain `@`, durations do not). */
function splitAtLast(text: string, flag: string, example: string): [string, number] {
  const at = text.lastIndexOf('@');
  if (at < 0) throw new UsageError(`--${flag}: "${text}" has no @DURATION`, { hint: example });
  return [text.slice(0, at), parseDuration(text.slice(at + 1), flag, { minMs: 0 })];
}

/** `--slow-start PATTERN@DURATION`: matching units take DURATION (fleet time) longer to start. */
export function parseSlowStart(text: string): FaultSpec {
  const [pattern, delayMs] = splitAtLast(text, 'slow-start', 'e.g. --slow-start "web@2.service@30s"');
  return { kind: 'unit-slow-start', match: parseUnitMatch(pattern, 'slow-start'), delayMs };
}

/** A machine death asked for by `--kill-machine [MACHINE@]AFTER`. */
export interface KillMachineRequest {
  /** Machine id, unique id prefix, or primary IP; absent = the first live machine. */
  machine?: string;
  /** Real time after the simulator started. */
  afterMs: number;
}

/** `--kill-machine [MACHINE@]AFTER`, e.g. `30s`, `127.0.8.102@1m`, `3f2a@10s`. Pure. */
export function parseKillMachine(text: string): KillMachineRequest {
  const example = 'e.g. --kill-machine 30s or --kill-machine 127.0.8.102@1m';
  const [machine, afterMs] = text.includes('@')
    ? splitAtLast(text, 'kill-machine', example)
    : ['', parseDuration(text, 'kill-machine', { minMs: 0 })];
  return { ...(machine.trim() ? { machine: machine.trim() } : {}), afterMs };
}

/**
 * The machine-dies fault for a request, resolving MACHINE against the simulator's machines (an
 * id, a unique id prefix, or a primary IP). Pure.
 */
export function machineDeath(
  request: KillMachineRequest,
  machines: ReadonlyArray<{ id: string; primaryIP: string }>,
): FaultSpec {
  const ref = request.machine;
  if (ref === undefined) return { kind: 'machine-dies', atMs: request.afterMs };
  const hits = machines.filter(
    (m) => m.id === ref || m.primaryIP === ref || m.id.startsWith(ref.toLowerCase()),
  );
  if (hits.length !== 1) {
    const list = machines.map((m) => `${m.id.slice(0, 8)} (${m.primaryIP})`).join(', ');
    throw new UsageError(
      `--kill-machine: ${hits.length === 0 ? 'no machine is' : 'more than one machine is'} "${ref}"`,
      { hint: `machines: ${list}` },
    );
  }
  return { kind: 'machine-dies', machineID: hits[0]!.id, atMs: request.afterMs };
}

/** One line per fault, for the simulator's start-up banner. */
export function describeFault(fault: FaultSpec): string {
  switch (fault.kind) {
    case 'machine-dies':
      return `machine ${fault.machineID?.slice(0, 8) ?? '(first live)'} dies ${fault.atMs} ms after start`;
    case 'unit-start-fails':
    case 'unit-slow-start': {
      const m = fault.match;
      const what =
        m.name ?? `${m.option?.section ? `${m.option.section}.` : ''}${m.option?.name}=${m.option?.value}`;
      return fault.kind === 'unit-start-fails'
        ? `units matching ${what} fail to start`
        : `units matching ${what} start ${fault.delayMs} ms later`;
    }
    default: {
      const extra = [
        fault.kind === 'api-error' ? String(fault.status) : undefined,
        fault.kind === 'api-latency' ? `${fault.delayMs} ms` : undefined,
        `on ${fault.route ?? '*'}`,
        fault.probability !== undefined ? `p=${fault.probability}` : undefined,
        fault.count !== undefined ? `${fault.count} time(s)` : undefined,
      ].filter((x) => x !== undefined);
      return `${fault.kind} ${extra.join(' ')}`;
    }
  }
}
