/**
 * Plain text for engine events and results: one line per event, no escape codes unless colours
 * are on. Used for non-terminal output (CI, pipes) and for the summary in every text mode.
 * Events are the engine's own `RolloutEvent`; a type this version does not know prints nothing.
 */
import type { LockInfo, RolloutEvent, RolloutResult } from '@fleet-service/rollout';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../flags/duration.js';

export function shortId(id: string | undefined): string {
  return id ? id.slice(0, 8) : '-';
}

/** `alice on build-1 (pid 4242)`: who holds (or held) a lock. */
export function lockHolder(lock: Pick<LockInfo, 'owner' | 'host' | 'pid'>): string {
  return `${lock.owner} on ${lock.host} (pid ${lock.pid})`;
}

/** The systemd triple as `loaded/active/running` (`?` for a part not seen). */
export function systemdText(s: { load?: string; active?: string; sub?: string }): string {
  return `${s.load ?? '?'}/${s.active ?? '?'}/${s.sub ?? '?'}`;
}

type EventOf<T extends RolloutEvent['type']> = Extract<RolloutEvent, { type: T }>;

/**
 * A polled state as one line. A unit fleet no longer lists whose old instance systemd still
 * reports (the wait after a destroy) says so, rather than "absent, systemd active/running".
 */
export function observedLine(e: EventOf<'state-observed'>, c: ChalkInstance): string {
  const on = e.machineID ? ` on ${shortId(e.machineID)}` : '';
  if (e.currentState === undefined && e.machineID === undefined) {
    if (!e.systemd) return c.dim(`${e.unit}: absent`);
    const hash = e.hash ? ` (${e.hash.slice(0, 7)})` : '';
    return c.dim(
      `${e.unit}: destroyed; old instance${hash} still ${e.systemd.active ?? '?'}/${e.systemd.sub ?? '?'}`,
    );
  }
  const sd = e.systemd ? `, systemd ${systemdText(e.systemd)}` : '';
  return c.dim(`${e.unit}: ${e.currentState ?? 'no state'}${on}${sd}`);
}

/** Text of one event, or `undefined` for events that print nothing (and for unknown types). */
export function eventLine(e: RolloutEvent, c: ChalkInstance): string | undefined {
  switch (e.type) {
    case 'plan': {
      const s = e.plan?.summary; // tolerant: a line must never break the rollout's rendering
      if (!s) return 'plan computed';
      return `plan: ${s.create} to create, ${s.replace} to replace, ${s.unchanged} unchanged, ${s.remove} to remove${
        s.templateChanged ? ', template changed' : ''
      }`;
    }
    case 'lock-acquired':
      if (!e.lock) return 'lock acquired';
      return `lock acquired by ${lockHolder(e.lock)}${e.stolenFrom ? c.yellow(`, taken over from ${lockHolder(e.stolenFrom)}${takeoverWhy(e.takeover)}`) : ''}`;
    case 'lock-released':
      return c.dim('lock released');
    case 'lock-lost':
      return c.red(`lock lost${e.holder ? ` to ${lockHolder(e.holder)}` : ' (lock unit gone)'}`);
    case 'step-started': {
      const s = e.step;
      const why = s.reason ? c.dim(` — ${s.reason}`) : '';
      return `${s.unit}: ${s.action} (batch ${s.batch})${why}`;
    }
    case 'step-finished':
      return c.dim(`${e.step.unit}: ${e.step.action} done in ${formatDuration(e.durationMs)}`);
    case 'state-observed':
      return observedLine(e, c);
    case 'instance-healthy':
      return `${e.unit}: ${c.green('healthy')} on ${shortId(e.machineID)}`;
    case 'instance-failed':
      return `${e.unit}: ${c.red('failed')}${e.diagnosis ? ` — ${e.diagnosis}` : ''}`;
    case 'rollback-started':
      return c.yellow(`rolling back${e.reason ? `: ${e.reason}` : ''}`);
    case 'rollback-finished':
      return c.yellow(`rolled back: ${e.rolledBack?.length ?? 0} instance(s) back on ${shortHash(e.toHash)}`);
    case 'rollback-failed':
      return c.red(
        `the rollback failed too${e.error?.message ? `: ${e.error.message}` : ''} (${e.rolledBack?.length ?? 0} instance(s) back on ${shortHash(e.toHash)})`,
      );
    case 'canary-ready':
      return c.cyan(
        `canary healthy: ${e.units?.join(', ')} — fs promote ${e.service} rolls it out, fs rollback ${e.service} removes it`,
      );
    case 'hook-started':
      return c.dim(`${e.unit}: ${e.hook} hook`);
    case 'hook-finished':
      return `${e.unit}: ${e.hook} hook ${c.green('done')}`;
    case 'hook-failed':
      return `${e.unit}: ${e.hook} hook ${c.red('failed')}${e.error?.message ? ` — ${e.error.message}` : ''}`;
    case 'batch-delay':
      return c.dim(`waiting ${formatDuration(e.delayMs ?? 0)} before batch ${e.batch}`);
    case 'instance-retried':
      return c.yellow(
        `${e.unit}: failed (${e.failures}/${e.budget} of --max-failures), destroyed and created again${e.error?.message ? ` — ${e.error.message}` : ''}`,
      );
    default:
      return undefined;
  }
}

/** Why a lock was taken over, in words. */
function takeoverWhy(takeover: string | undefined): string {
  if (takeover === 'holder-dead') return ' (its process is gone)';
  if (takeover === 'expired') return ' (expired)';
  if (takeover === 'steal') return ' (--steal-lock)';
  return '';
}

const shortHash = (hash: string | undefined) =>
  hash ? hash.slice(0, 7) : 'nothing (the new service was removed)';

/** A result as the summary reads it: a RolloutResult, or part of one (outcome kept open for newer engines). */
export type SummaryResult = Partial<
  Pick<
    RolloutResult,
    'service' | 'replaced' | 'rolledBack' | 'unchanged' | 'added' | 'removed' | 'durationMs'
  >
> & { outcome?: string };

/** Outcomes that count as success. */
export function isSuccess(outcome: string | undefined): boolean {
  return outcome === 'succeeded' || outcome === 'unchanged';
}

/** An outcome in words: `rolled-back` → `rolled back`. */
export function outcomeWords(outcome: string): string {
  return outcome.replace(/-/g, ' ');
}

/** The final summary line: outcome, counts, duration. */
export function summaryLine(r: SummaryResult, c: ChalkInstance): string {
  const outcome = r.outcome ?? 'done';
  const mark = isSuccess(outcome)
    ? c.green('✔')
    : outcome === 'rolled-back'
      ? c.yellow('↺')
      : outcome === 'canary'
        ? c.cyan('◐')
        : c.red('✖');
  const counts = `${r.replaced?.length ?? 0} replaced, ${r.unchanged?.length ?? 0} unchanged, ${
    r.added?.length ?? 0
  } added, ${r.removed?.length ?? 0} removed${r.rolledBack ? `, ${r.rolledBack.length} rolled back` : ''}`;
  const took = r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : '';
  return `${mark} ${r.service ?? ''}: ${c.bold(outcome)}${took} — ${counts}`;
}

/** ISO timestamp prefix for plain lines. */
export function stamp(time: number | undefined): string {
  return new Date(time ?? Date.now()).toISOString();
}
