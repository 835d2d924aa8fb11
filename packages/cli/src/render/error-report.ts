import type { LockInfo, SystemdView } from '@fleet-service/rollout';
import type { ExitCodeValue } from '../exit-codes.js';
import { lockHolder, shortId } from './event-lines.js';

/** The instance that failed, as the `instance-failed` event told it, plus its machine's IP when known. */
export interface FailedInstance {
  unit: string;
  diagnosis?: string;
  machineID?: string;
  /** The machine's IP (from fleet's machine list). */
  primaryIP?: string;
  systemd?: SystemdView;
}

/** Where to read a failed unit's logs: fleetctl from anywhere, or journalctl on its machine. */
export interface LogsHint {
  unit: string;
  fleetctl: string;
  journalctl: string;
  machineID?: string;
  primaryIP?: string;
}

/** What the command knows that makes a hint concrete. */
export interface ErrorHintContext {
  /** The service the command worked on. */
  service?: string;
  /** The command line that resumes this run (the same command again). */
  rerun?: string;
  /** The endpoint in use. */
  endpoint?: string;
  /** The last instance that failed, for diagnostics and the logs hint. */
  lastFailure?: FailedInstance;
}

/** An error as fs reports it: one sentence, a hint, diagnostics, and machine-readable context. */
export interface ErrorReport {
  name: string;
  code: string;
  /** One clear sentence: what failed, which unit, which state, what was last seen. */
  message: string;
  /** What to do next (resume, roll back, fix a flag). */
  hint?: string;
  /** Extra lines: every problem of a unit file or spec, the failing instance's systemd states. */
  details: string[];
  exitCode: ExitCodeValue;
  /** Enumerable context fields of the error (unit, state, holder, status, …), for JSON output. */
  context: Record<string, unknown>;
}

const CONTEXT_FIELDS = [
  'unit',
  'unitName',
  'index',
  'waitedFor',
  'state',
  'lastSeen',
  'diagnosis',
  'holder',
  'method',
  'path',
  'status',
  'fleetMessage',
  'endpoint',
  'machineID',
  'systemd',
  'option',
  'source',
] as const;

function field(error: unknown, name: string): unknown {
  return error !== null && typeof error === 'object' ? (error as Record<string, unknown>)[name] : undefined;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Pure: turns any error into the report fs prints. */
export function buildErrorReport(
  error: unknown,
  ctx: ErrorHintContext & { exitCode: ExitCodeValue; interrupted?: boolean },
): ErrorReport {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = text(field(err, 'code')) || (field(err, 'oclif') ? 'ERR_USAGE' : 'ERR_INTERNAL');
  const context: Record<string, unknown> = {};
  for (const name of CONTEXT_FIELDS) {
    const value = field(err, name);
    if (value !== undefined) context[name] = value;
  }
  const holder = lockInfoOf(field(err, 'holder'));
  if (holder) context.holder = holderView(holder);
  let [first, ...rest] = err.message.split('\n');
  let details = rest.map((l) => l.trim()).filter((l) => l && !/^See more help with/.test(l));
  // oclif wraps flag errors as "Parsing --flag\n\t<our message>": lead with our message.
  if (first?.startsWith('Parsing ') && details.length > 0) {
    first = details[0];
    details = details.slice(1);
  }
  const problems = field(err, 'problems');
  if (Array.isArray(problems) && details.length === 0) {
    for (const p of problems) {
      const where = field(p, 'line') !== undefined ? `line ${text(field(p, 'line'))}: ` : '';
      const what = text(field(p, 'field')) ? `${text(field(p, 'field'))}: ` : '';
      details.push(`${where}${what}${text(field(p, 'message')) || text(p)}`);
    }
  }
  details.push(...diagnostics(err, ctx.lastFailure));
  if (holder) details.push(holderLine(holder));
  const logs = logsHint(err, ctx.lastFailure);
  if (logs) {
    context.logs = logs;
    details.push(logsLine(logs));
  }
  const report: ErrorReport = {
    name: err.name,
    code,
    message: (first ?? '').trim() || err.name,
    details,
    exitCode: ctx.exitCode,
    context,
  };
  const hint = hintFor(code, err, ctx);
  if (hint) report.hint = hint;
  if (ctx.interrupted) {
    report.message = `interrupted: ${report.message}`;
    report.hint = resumeHint(ctx) ?? report.hint;
  }
  return report;
}

function resumeHint(ctx: ErrorHintContext): string | undefined {
  if (!ctx.rerun) return undefined;
  const back = ctx.service ? `, or put the previous version back with: fs rollback ${ctx.service}` : '';
  return `resume with: ${ctx.rerun}${back}`;
}

function hintFor(code: string, err: Error, ctx: ErrorHintContext): string | undefined {
  const own = field(err, 'hint');
  if (typeof own === 'string' && own) return own;
  switch (code) {
    case 'ERR_FLEET_UNREACHABLE':
    case 'ERR_FLEET_TIMEOUT':
      return `check --endpoint / FLEETCTL_ENDPOINT (now ${ctx.endpoint ?? 'unix:///var/run/fleet.sock'}) and that fleetd is running`;
    case 'ERR_TUNNEL_UNREACHABLE':
      return 'check --tunnel / FLEETCTL_TUNNEL (HOST[:PORT]) and that sshd runs there; --ssh-timeout allows a slower handshake';
    case 'ERR_TUNNEL_AUTH':
      return 'fs offers the keys of ssh-agent (SSH_AUTH_SOCK) and of --ssh-identity-file, as --ssh-username (default core)';
    case 'ERR_TUNNEL_HOST_KEY_UNKNOWN':
      return 'check the fingerprint on the machine, then add the line above to the known_hosts file (--known-hosts-file)';
    case 'ERR_TUNNEL_HOST_KEY_CHANGED':
      return 'do not go on until you know why the key changed';
    case 'ERR_TUNNEL_REMOTE_SOCKET':
      return `the endpoint is as seen from the tunnel host: check --endpoint (now ${ctx.endpoint ?? 'unix:///var/run/fleet.sock'}) and that fleetd runs there`;
    case 'ERR_SOCKS_PROXY':
      return 'check --socks-proxy / FS_SOCKS_PROXY and that the proxy (e.g. ssh -N -D 127.0.0.1:1080 core@HOST) runs';
    case 'ERR_FLEET_UNAVAILABLE':
      return 'fleetd answers but is not serving (it cannot reach etcd, or is starting); fs retried within its time budget — check etcd and fleetd, then run the same command again';
    case 'ERR_ROLLOUT_ROLLBACK_FAILED':
      return `neither the new nor the previous contents became healthy; see what runs with: fs status ${ctx.service ?? 'SERVICE'}, fix the unit file or the health check, and run create again`;
    case 'ERR_ROLLOUT_NO_SUCH_SERVICE':
      return 'list the services fs sees with: fs ls';
    case 'ERR_NOT_FLEET':
      return "point --endpoint (or FLEETCTL_ENDPOINT) at fleet's API, e.g. unix:///var/run/fleet.sock or http://HOST:49153";
    case 'ERR_FLEET_INVALID_ENDPOINT':
      return 'endpoints look like unix:///var/run/fleet.sock, http+unix://%2Fvar%2Frun%2Ffleet.sock or http://HOST:PORT';
    case 'ERR_ROLLOUT_LOCK_HELD':
      return 'wait for that rollout to finish, or take the lock over with --steal-lock if it is dead';
    case 'ERR_ROLLOUT_LOCK_LOST':
    case 'ERR_ROLLOUT_DRIFT':
      return `someone else changed the service while fs worked; check with: fs status ${ctx.service ?? 'SERVICE'}`;
    case 'ERR_ROLLOUT_ROLLED_BACK':
      return 'the previous version is running again; fix the unit file and run create again';
    case 'ERR_ROLLOUT_STATE_TIMEOUT':
    case 'ERR_ROLLOUT_DEADLINE':
    case 'ERR_ROLLOUT_INSTANCE_FAILED':
    case 'ERR_ROLLOUT_PAUSED':
    case 'ERR_ROLLOUT_ABORTED':
      return resumeHint(ctx);
    case 'ERR_USAGE':
      return field(err, 'oclif') ? 'see fs --help, or fs COMMAND --help' : undefined;
    default:
      return undefined;
  }
}

/** Lines about the failing instance: its systemd states and machine, and what was last seen. */
function diagnostics(err: Error, lastFailure: FailedInstance | undefined): string[] {
  const lines: string[] = [];
  const unit = text(field(err, 'unit')) || (lastFailure?.unit ?? '');
  const diagnosis = text(field(err, 'diagnosis')) || (lastFailure?.diagnosis ?? '');
  const systemd = (field(err, 'systemd') ?? lastFailure?.systemd) as Record<string, unknown> | undefined;
  const machine = text(field(err, 'machineID')) || (lastFailure?.machineID ?? '');
  const lastSeen = field(err, 'lastSeen');
  if (diagnosis && !err.message.includes(diagnosis)) lines.push(`diagnosis: ${diagnosis}`);
  if (unit && (systemd || machine)) {
    const states = systemd
      ? `${text(systemd.load ?? systemd.systemdLoadState)}/${text(systemd.active ?? systemd.systemdActiveState)}/${text(systemd.sub ?? systemd.systemdSubState)}`
      : 'no systemd state';
    lines.push(`${unit}: systemd ${states}${machine ? ` on machine ${machine.slice(0, 8)}` : ''}`);
  }
  if (lastSeen !== undefined && !err.message.includes('last seen'))
    lines.push(`last seen: ${text(lastSeen)}`);
  return lines;
}

/** The error's cause chain, outermost first (bounded: a cycle ends it). */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 8; e = field(e, 'cause')) {
    if (chain.includes(e)) break;
    chain.push(e);
  }
  return chain;
}

/** Errors about one unit that did not come up: its logs say why. */
const UNIT_FAILURE_CODES = new Set([
  'ERR_ROLLOUT_INSTANCE_FAILED',
  'ERR_ROLLOUT_STATE_TIMEOUT',
  'ERR_ROLLOUT_DEADLINE',
]);

/** An instance unit name (`web@1.service`, `web.service`), not the template or fs's own units. */
function isInstanceUnit(unit: string): boolean {
  return /^[^@]+@\d+\.service$/.test(unit) || /^[^@]+\.service$/.test(unit);
}

/**
 * Where the failed unit's logs are: the failed instance the events told of, else a unit named by
 * the error or its causes (a timed-out wait, a failure inside a rollback). Only for failures of an
 * instance: a lock, usage or connection error has no unit logs to read.
 */
export function logsHint(err: unknown, lastFailure: FailedInstance | undefined): LogsHint | undefined {
  const failed = causeChain(err).find(
    (e) => UNIT_FAILURE_CODES.has(text(field(e, 'code'))) && isInstanceUnit(text(field(e, 'unit'))),
  );
  const unit = lastFailure?.unit ?? (failed ? text(field(failed, 'unit')) : undefined);
  if (!unit) return undefined;
  const machineID =
    lastFailure?.unit === unit ? lastFailure.machineID : text(field(failed, 'machineID')) || undefined;
  return {
    unit,
    fleetctl: `fleetctl journal ${unit}`,
    journalctl: `journalctl -u ${unit}`,
    ...(machineID ? { machineID } : {}),
    ...(lastFailure?.unit === unit && lastFailure.primaryIP ? { primaryIP: lastFailure.primaryIP } : {}),
  };
}

/** `logs: fleetctl journal web@1.service, or journalctl -u web@1.service on machine 0123abcd (10.0.0.2)` */
function logsLine(logs: LogsHint): string {
  const where = logs.machineID
    ? ` on machine ${shortId(logs.machineID)}${logs.primaryIP ? ` (${logs.primaryIP})` : ''}`
    : ' on its machine';
  return `logs: ${logs.fleetctl}, or ${logs.journalctl}${where}`;
}

function lockInfoOf(value: unknown): LockInfo | undefined {
  const v = value as Partial<LockInfo> | undefined;
  if (!v || typeof v !== 'object' || typeof v.owner !== 'string' || typeof v.host !== 'string')
    return undefined;
  return v as LockInfo;
}

/** A lock holder for JSON output: who, where, since and until when (ISO), without the lock's token. */
function holderView(lock: LockInfo): Record<string, unknown> {
  return {
    owner: lock.owner,
    host: lock.host,
    pid: lock.pid,
    ...(Number.isFinite(lock.start) ? { since: new Date(lock.start).toISOString() } : {}),
    ...(Number.isFinite(lock.expiry) ? { expires: new Date(lock.expiry).toISOString() } : {}),
  };
}

/** `lock held by alice on build-1 (pid 4242) since …, expires …` */
function holderLine(lock: LockInfo): string {
  const since = Number.isFinite(lock.start) ? ` since ${new Date(lock.start).toISOString()}` : '';
  const until = Number.isFinite(lock.expiry) ? `, expires ${new Date(lock.expiry).toISOString()}` : '';
  return `lock held by ${lockHolder(lock)}${since}${until}`;
}
