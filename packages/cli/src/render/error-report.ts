import type { ExitCodeValue } from '../exit-codes.js';

/** What the command knows that makes a hint concrete. */
export interface ErrorHintContext {
  /** The service the command worked on. */
  service?: string;
  /** The command line that resumes this run (the same command again). */
  rerun?: string;
  /** The endpoint in use. */
  endpoint?: string;
  /** The last `instance-failed` event seen, for diagnostics. */
  lastFailure?: Record<string, unknown>;
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
function diagnostics(err: Error, lastFailure: Record<string, unknown> | undefined): string[] {
  const lines: string[] = [];
  const source = lastFailure ?? {};
  const unit = text(field(err, 'unit')) || text(source.unit);
  const diagnosis = text(field(err, 'diagnosis')) || text(source.diagnosis);
  const systemd = field(err, 'systemd') ?? source.systemd;
  const machine = text(field(err, 'machineID')) || text(source.machineID);
  const lastSeen = field(err, 'lastSeen');
  if (diagnosis && !err.message.includes(diagnosis)) lines.push(`diagnosis: ${diagnosis}`);
  if (unit && (systemd || machine)) {
    const s = systemd as Record<string, unknown> | undefined;
    const states = s
      ? `${text(s.load ?? s.systemdLoadState)}/${text(s.active ?? s.systemdActiveState)}/${text(s.sub ?? s.systemdSubState)}`
      : 'no systemd state';
    lines.push(`${unit}: systemd ${states}${machine ? ` on machine ${machine.slice(0, 8)}` : ''}`);
  }
  if (lastSeen !== undefined && !err.message.includes('last seen'))
    lines.push(`last seen: ${text(lastSeen)}`);
  return lines;
}
