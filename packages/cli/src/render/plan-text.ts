import type { Plan, PlanStep, PlanSummary, ResolvedSettings } from '@fleet-service/rollout';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../flags/duration.js';

/** The engine's Plan, or the part of it `--dry-run` prints. */
export type PlanView = Pick<Plan, 'service' | 'newHash' | 'count'> &
  Partial<Pick<Plan, 'previousHash' | 'unchanged' | 'diff' | 'notes' | 'canary' | 'perMachine'>> & {
    steps: ReadonlyArray<
      Pick<PlanStep, 'id' | 'batch' | 'action' | 'unit' | 'reason'> &
        Partial<Pick<PlanStep, 'hooks' | 'durationMs' | 'watchUnits'>>
    >;
    summary?: Partial<PlanSummary>;
    settings?: Partial<
      Pick<
        ResolvedSettings,
        | 'maxUnavailable'
        | 'maxSurge'
        | 'replaceMode'
        | 'onFailure'
        | 'minHealthyMs'
        | 'batchDelayMs'
        | 'maxFailures'
        | 'hooks'
      >
    >;
  };

/** The strategy settings beyond the basics, as `, name value` parts (only those in use). */
function extraSettings(st: NonNullable<PlanView['settings']>): string {
  const parts: string[] = [];
  if (st.batchDelayMs) parts.push(`batch-delay ${formatDuration(st.batchDelayMs)}`);
  if (st.maxFailures) parts.push(`max-failures ${st.maxFailures}`);
  if (st.hooks?.preStop || st.hooks?.postStart)
    parts.push(
      `hooks ${[st.hooks.preStop ? 'pre-stop' : '', st.hooks.postStart ? 'post-start' : ''].filter(Boolean).join('+')} (timeout ${formatDuration(st.hooks.timeoutMs)})`,
    );
  return parts.map((p) => `, ${p}`).join('');
}

/** A line diff (LCS) of two texts: ` ` same, `-` removed, `+` added. Pure. */
export function lineDiff(from: string, to: string): Array<{ op: ' ' | '-' | '+'; line: string }> {
  const a = from === '' ? [] : from.replace(/\n$/, '').split('\n');
  const b = to === '' ? [] : to.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: Array<{ op: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', line: a[i++]! });
    else out.push({ op: '+', line: b[j++]! });
  }
  while (i < n) out.push({ op: '-', line: a[i++]! });
  while (j < m) out.push({ op: '+', line: b[j++]! });
  return out;
}

/** The plan as text: settings, steps by batch, unchanged instances, and the unit-contents diff (none when there is nothing to change). */
export function planText(plan: PlanView, c: ChalkInstance): string {
  const lines: string[] = [];
  const s = plan.summary ?? {};
  const from = plan.previousHash ? plan.previousHash.slice(0, 7) : 'nothing';
  lines.push(
    c.bold(`Plan for ${plan.service}: ${from} → ${plan.newHash.slice(0, 7)}, ${plan.count} instance(s)`),
  );
  const st = plan.settings;
  if (st) {
    lines.push(
      c.dim(
        `  max-unavailable ${st.maxUnavailable ?? '-'}, max-surge ${st.maxSurge ?? '-'}, replace-mode ${
          st.replaceMode ?? '-'
        }, on-failure ${st.onFailure ?? '-'}${st.minHealthyMs !== undefined ? `, min-healthy ${formatDuration(st.minHealthyMs)}` : ''}${extraSettings(st)}`,
      ),
    );
  }
  lines.push(
    `  ${s.create ?? 0} to create, ${s.replace ?? 0} to replace, ${s.start ?? 0} to start, ${s.unchanged ?? 0} unchanged, ${
      s.remove ?? 0
    } to remove${s.templateChanged ? ', template changes' : ''}`,
  );
  const nothingToDo = plan.steps.length === 0;
  if (nothingToDo) lines.push(c.green('  nothing to change: every instance already runs these contents'));
  if (plan.canary) {
    const next =
      plan.canary.autoPromoteMs !== undefined
        ? `promoted by itself after ${formatDuration(plan.canary.autoPromoteMs)} healthy`
        : `then stop: fs promote ${plan.service} rolls the rest out, fs rollback ${plan.service} removes it`;
    lines.push(c.cyan(`  canary: ${plan.canary.units.join(', ')} beside the ${plan.count} serving; ${next}`));
  }
  for (const pin of plan.perMachine ?? [])
    lines.push(c.dim(`  per machine: ${pin.unit} → MachineID=${pin.machineID}`));
  const delay = st?.batchDelayMs ?? 0;
  let batch = -1;
  for (const step of plan.steps) {
    if (step.batch !== batch) {
      lines.push(
        c.dim(`  batch ${step.batch}${batch !== -1 && delay > 0 ? ` (after ${formatDuration(delay)})` : ''}`),
      );
      batch = step.batch;
    }
    if (step.action === 'watch') {
      lines.push(
        `    ${String(step.id).padStart(3)}. ${c.cyan('watch'.padEnd(8))} ${(step.watchUnits ?? [step.unit]).join(', ')} healthy for ${formatDuration(step.durationMs ?? 0)}  ${c.dim(`(${step.reason})`)}`,
      );
      continue;
    }
    const verb =
      step.action === 'destroy'
        ? c.red(step.action)
        : step.action === 'create'
          ? c.green(step.action)
          : c.yellow(step.action);
    const hooks = step.hooks?.length ? `  ${c.magenta(`[${step.hooks.join(', ')}]`)}` : '';
    lines.push(
      `    ${String(step.id).padStart(3)}. ${verb.padEnd(8)} ${step.unit}  ${c.dim(`(${step.reason})`)}${hooks}`,
    );
  }
  if (plan.unchanged && plan.unchanged.length > 0)
    lines.push(c.dim(`  unchanged: ${plan.unchanged.join(', ')}`));
  for (const note of plan.notes ?? []) lines.push(c.dim(`  note: ${note}`));
  // a diff only says something when there is a change to make
  if (plan.diff && !nothingToDo) {
    lines.push(c.bold('Unit contents:'));
    const diff = lineDiff(plan.diff.from, plan.diff.to);
    if (diff.every((d) => d.op === ' ')) lines.push(c.dim('  (unchanged)'));
    for (const d of diff) {
      const text = `${d.op} ${d.line}`;
      lines.push(d.op === '+' ? c.green(text) : d.op === '-' ? c.red(text) : c.dim(text));
    }
  }
  return `${lines.join('\n')}\n`;
}
