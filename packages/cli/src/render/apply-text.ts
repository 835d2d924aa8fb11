/** `fs apply` as text: the whole-cluster plan, one line per event (each with its service), the summary. Pure. */
import type { ApplyEvent, ApplyPlan, ApplyResult, ServicePlan } from '@fleet-service/apply';
import type { RolloutEvent } from '@fleet-service/rollout';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../flags/duration.js';
import { eventLine, isSuccess, summaryLine } from './event-lines.js';
import { planText } from './plan-text.js';

const ACTION_WORDS: Record<ServicePlan['action'], string> = {
  create: 'create',
  'scale-up': 'scale up',
  update: 'update',
  'scale-down': 'scale down',
  unchanged: 'unchanged',
  remove: 'remove',
  missing: 'not in the file',
};

/** One line per service, then each changing service's own plan with its unit diff. */
export function applyPlanText(plan: ApplyPlan, c: ChalkInstance, opts: { details?: boolean } = {}): string {
  const lines: string[] = [];
  const s = plan.summary;
  lines.push(
    c.bold(
      `Plan: ${s.create} to create, ${s['scale-up']} to scale up, ${s.update} to update, ${s['scale-down']} to scale down, ${s.remove} to remove, ${s.unchanged} unchanged, ${s.missing} not in the file`,
    ),
  );
  for (const sp of plan.services) {
    const phase = sp.phase > 0 ? c.dim(` (phase ${sp.phase})`) : '';
    const count = sp.desired ? ` ×${sp.desired.count || 1}` : '';
    const mark =
      sp.action === 'unchanged'
        ? c.dim('=')
        : sp.action === 'missing'
          ? c.yellow('?')
          : sp.action === 'remove'
            ? c.red('-')
            : c.green('~');
    lines.push(
      `${mark} ${sp.service}${count}: ${ACTION_WORDS[sp.action]}${phase}${sp.notes.length ? c.dim(` — ${sp.notes.join('; ')}`) : ''}`,
    );
  }
  for (const note of plan.notes) lines.push(c.yellow(note));
  if (opts.details !== false) {
    for (const sp of plan.services) {
      if (sp.phase === 0) continue;
      for (const p of [sp.plan, sp.sidekick?.plan])
        if (p && p.steps.length > 0) lines.push('', planText(p, c).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The line an event prints (prefixed with its service), or undefined. */
export function applyEventLine(e: ApplyEvent, c: ChalkInstance, verbose: boolean): string | undefined {
  switch (e.type) {
    case 'apply-plan': {
      const s = e.plan.summary;
      return `plan: ${s.create + s['scale-up']} to add, ${s.update} to update, ${s['scale-down'] + s.remove} to take away, ${s.unchanged} unchanged`;
    }
    case 'service-started':
      return `${c.bold(e.service)}: ${ACTION_WORDS[e.action]} started`;
    case 'service-finished': {
      const o = e.outcome;
      if (o.outcome === 'unchanged' || o.outcome === 'left-alone')
        return verbose ? c.dim(`${o.service}: ${o.outcome}`) : undefined;
      if (o.result && !o.error) return summaryLine({ ...o.result, outcome: o.outcome }, c);
      const mark = isSuccess(o.outcome) || o.outcome === 'removed' ? c.green('✔') : c.red('✖');
      return `${mark} ${c.bold(o.service)}: ${o.outcome}${o.error ? ` — ${o.error.message}` : ''}`;
    }
    case 'drift':
      return c.yellow(
        `${e.service}: drift — ${e.units.join(', ')} differ from the file${e.reverted ? '; putting them back' : ' (reported only: --no-revert-drift)'}`,
      );
    case 'watch-run':
      return c.dim(
        `run ${e.run} ${e.ok ? 'ok' : 'had failures'}${e.changed ? '' : ', nothing changed'}${e.sourceUnchanged ? ' (source unchanged)' : ''}; next run at ${new Date(e.nextAt).toISOString()}`,
      );
    case 'watch-error':
      return c.red(`run ${e.run} failed: ${e.error.message}; retrying in ${formatDuration(e.retryInMs)}`);
    case 'apply-done':
      return undefined;
    default: {
      const r = e as RolloutEvent;
      if (r.type === 'state-observed' && !verbose) return undefined;
      if (r.type === 'done' || r.type === 'plan') return undefined;
      const line = eventLine(r, c);
      return line === undefined ? undefined : `${r.service}: ${line}`;
    }
  }
}

/** The final lines: one per service that did something, then the totals. */
export function applySummaryText(result: ApplyResult, c: ChalkInstance): string {
  const count = (pred: (o: ApplyResult['services'][number]) => boolean) =>
    result.services.filter(pred).length;
  const failed = count((o) => o.failureClass !== undefined);
  const changed = count((o) => o.outcome === 'succeeded' || o.outcome === 'removed');
  const mark = result.ok ? c.green('✔') : c.red('✖');
  return `${mark} apply ${result.ok ? c.bold('done') : c.bold('failed')} in ${formatDuration(result.durationMs)}: ${changed} changed, ${count((o) => o.outcome === 'unchanged')} unchanged, ${failed} failed, ${count((o) => o.outcome === 'left-alone')} not in the file${count((o) => o.outcome === 'skipped') ? `, ${count((o) => o.outcome === 'skipped')} skipped` : ''}\n`;
}
