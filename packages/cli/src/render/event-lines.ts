/**
 * Plain text for engine events and results: one line per event, no escape codes unless colours
 * are on. Used for non-terminal output (CI, pipes) and for the summary in every text mode.
 */
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../flags/duration.js';
import type { BoardEvent } from './instance-board.js';

/** A loose view of RolloutEvent with the fields the lines use. */
export interface LineEvent extends BoardEvent {
  step?: BoardEvent['step'] & { reason?: string; id?: string };
  durationMs?: number;
  reason?: string;
  owner?: string;
  holder?: unknown;
  hash?: string;
  plan?: BoardEvent['plan'] & {
    summary?: {
      create?: number;
      replace?: number;
      unchanged?: number;
      remove?: number;
      templateChanged?: boolean;
    };
  };
}

export function shortId(id: string | undefined): string {
  return id ? id.slice(0, 8) : '-';
}

/** Text of one event, or `undefined` for events that print nothing. */
export function eventLine(e: LineEvent, c: ChalkInstance): string | undefined {
  switch (e.type) {
    case 'plan': {
      const s = e.plan?.summary;
      if (!s) return 'plan computed';
      return `plan: ${s.create ?? 0} to create, ${s.replace ?? 0} to replace, ${s.unchanged ?? 0} unchanged, ${
        s.remove ?? 0
      } to remove${s.templateChanged ? ', template changed' : ''}`;
    }
    case 'lock-acquired':
      return `lock acquired${e.owner ? ` by ${e.owner}` : ''}`;
    case 'lock-lost':
      return c.red(`lock lost${e.reason ? `: ${e.reason}` : ''}`);
    case 'step-started': {
      const s = e.step;
      if (!s) return undefined;
      const batch = s.batch !== undefined ? ` (batch ${s.batch})` : '';
      const why = s.reason ? c.dim(` — ${s.reason}`) : '';
      return `${s.unit ?? ''}: ${s.action ?? 'step'}${batch}${why}`;
    }
    case 'step-finished': {
      const s = e.step;
      if (!s) return undefined;
      const took = e.durationMs !== undefined ? ` in ${formatDuration(e.durationMs)}` : '';
      return c.dim(`${s.unit ?? ''}: ${s.action ?? 'step'} done${took}`);
    }
    case 'state-observed': {
      const sd = e.systemd
        ? `, systemd ${e.systemd.load ?? '?'}/${e.systemd.active ?? '?'}/${e.systemd.sub ?? '?'}`
        : '';
      const on = e.machineID ? ` on ${shortId(e.machineID)}` : '';
      return c.dim(`${e.unit ?? ''}: ${e.currentState ?? 'absent'}${on}${sd}`);
    }
    case 'instance-healthy':
      return `${e.unit ?? ''}: ${c.green('healthy')} on ${shortId(e.machineID)}`;
    case 'instance-failed':
      return `${e.unit ?? ''}: ${c.red('failed')}${e.diagnosis ? ` — ${e.diagnosis}` : ''}`;
    case 'rollback-started':
      return c.yellow(`rolling back${e.reason ? `: ${e.reason}` : ''}`);
    default:
      return undefined;
  }
}

/** A loose view of RolloutResult. */
export interface SummaryResult {
  service?: string;
  outcome?: string;
  replaced?: readonly string[];
  unchanged?: readonly string[];
  added?: readonly string[];
  removed?: readonly string[];
  durationMs?: number;
}

/** The final summary line: outcome, counts, duration. */
export function summaryLine(r: SummaryResult, c: ChalkInstance): string {
  const outcome = r.outcome ?? 'done';
  const ok = outcome === 'succeeded' || outcome === 'unchanged';
  const mark = ok ? c.green('✔') : outcome === 'rolled-back' ? c.yellow('↺') : c.red('✖');
  const counts = `${r.replaced?.length ?? 0} replaced, ${r.unchanged?.length ?? 0} unchanged, ${
    r.added?.length ?? 0
  } added, ${r.removed?.length ?? 0} removed`;
  const took = r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : '';
  return `${mark} ${r.service ?? ''}: ${c.bold(outcome)}${took} — ${counts}`;
}

/** ISO timestamp prefix for plain lines. */
export function stamp(time: number | undefined): string {
  return new Date(time ?? Date.now()).toISOString();
}
