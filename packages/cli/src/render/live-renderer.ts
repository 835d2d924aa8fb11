import type { RolloutEvent } from '@fleet-service/rollout';
import { Chalk, type ChalkInstance } from 'chalk';
import { Listr, type ListrRendererValue, ListrTaskState, type ListrTaskWrapper } from 'listr2';
import { formatDuration } from '../flags/duration.js';
import type { OutputMode } from '../output/output-mode.js';
import { CoalescingRenderer } from './coalescing-renderer.js';
import {
  eventLine,
  isSuccess,
  outcomeWords,
  type SummaryResult,
  shortId,
  summaryLine,
} from './event-lines.js';
import { InstanceBoard, type InstanceRow, type Phase, type RowStatus } from './instance-board.js';
import type { RolloutRenderer } from './rollout-renderer.js';
import { ensureUsableSize } from './terminal-size.js';

// biome-ignore lint/suspicious/noExplicitAny: listr2's wrapper generics are not useful here
type AnyTask = ListrTaskWrapper<any, any, any>;

/** How listr2 draws a row in each status: idle, spinning, ✔, ✖. */
const LISTR_STATE: Record<RowStatus, ListrTaskState> = {
  pending: ListrTaskState.WAITING,
  running: ListrTaskState.STARTED,
  done: ListrTaskState.COMPLETED,
  failed: ListrTaskState.FAILED,
};

export interface LiveRendererOptions {
  /**
   * listr2's renderer: `default` redraws the terminal in place; `test` writes every task's state
   * and title change as one JSON line to stdout (listr2's TestRenderer), for tests.
   * @default 'default'
   */
  listrRenderer?: 'default' | 'test';
}

/** One instance's listr2 task; it lives for the run, its state follows the instance's steps. */
interface Slot {
  task: AnyTask;
  release: () => void;
}

/**
 * A terminal: listr2 redraws one line per instance in place (stopping → gone → starting →
 * launched → healthy) under a short header with the batch and the elapsed time; notices (Ctrl-C,
 * lock lost) go on their own lines under the header.
 * A row spins only while one of its instance's steps runs; it is idle (dim, no spinner) until
 * then, ✔ as soon as the instance is healthy or its step finished, ✖ as soon as it failed.
 * Started when the plan arrives (the plan names the instances).
 */
export class LiveRenderer implements RolloutRenderer {
  private readonly c: ChalkInstance;
  private readonly board = new InstanceBoard();
  private readonly slots = new Map<string, Slot>();
  private readonly started = Date.now();
  private readonly notes: string[] = [];
  private header: AnyTask | undefined;
  private run: Promise<unknown> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** Puts back the terminal size reported before the live view replaced an unusable one. */
  private restoreSize: (() => void) | undefined;
  /** Set by `finish`: whether the run succeeded, and its outcome, for the rows and the header. */
  private ending: { ok: boolean; outcome?: string | undefined } | undefined;

  constructor(
    private readonly title: string,
    mode: OutputMode,
    private readonly options: LiveRendererOptions = {},
  ) {
    this.c = new Chalk({ level: mode.color ? 1 : 0 });
  }

  onEvent(event: RolloutEvent): void {
    this.board.apply(event);
    if (event.type === 'plan') this.start(event);
    if (!this.run) {
      // Before the plan (lock, observe): plain lines.
      const line = eventLine(event, this.c);
      if (line) process.stdout.write(`${line}\n`);
      return;
    }
    if (event.type === 'lock-lost') this.addNote(eventLine(event, this.c) ?? 'lock lost');
    this.refresh();
  }

  notice(message: string): void {
    if (!this.run) {
      process.stderr.write(`${message}\n`);
      return;
    }
    // "stopping safely (…); press Ctrl-C again …": one line per clause, so each fits a narrow terminal
    for (const part of message.split(/;\s+/)) this.addNote(this.c.yellow(part));
  }

  async finish(result: SummaryResult | undefined): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    if (this.run) {
      // without a result (the command prints its own), the rows tell whether everything got done
      const ok = result
        ? isSuccess(result.outcome)
        : [...this.board.rows.values()].every((row) => row.status === 'done');
      this.ending = { ok, outcome: result?.outcome };
      this.refresh();
      for (const [unit, slot] of this.slots) this.end(unit, slot);
      if (this.header) this.endHeader(this.header);
      await this.run.catch(() => undefined);
      this.restoreSize?.();
    }
    if (result) process.stdout.write(`${summaryLine(result, this.c)}\n`);
  }

  /** A row's last state: a row never started is skipped, one still running did not finish. */
  private end(unit: string, slot: Slot): void {
    const row = this.board.rows.get(unit);
    if (!row || row.status === 'pending') {
      slot.task.skip(`${unit.padEnd(18)} ${this.c.dim('not started')}`);
    } else if (row.status === 'running') {
      // the engine settles every step before it ends; a row still running did not finish
      this.setState(slot, this.ending?.ok ? 'done' : 'failed');
    }
    slot.release();
  }

  /** The header ends ✔ only when the rollout succeeded (listr2 completes it by itself then). */
  private endHeader(header: AnyTask): void {
    const { ok, outcome } = this.ending ?? { ok: false };
    if (ok) return;
    header.task.state$ = outcome === 'rolled-back' ? ListrTaskState.ROLLED_BACK : ListrTaskState.FAILED;
  }

  private start(event: RolloutEvent): void {
    if (this.run) return;
    const rows = [...this.board.rows.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const tasks = rows.map((row) => ({
      title: this.rowTitle(row),
      task: (_ctx: unknown, task: AnyTask) =>
        new Promise<void>((release) => {
          const slot: Slot = { task, release: () => release() };
          this.slots.set(row.unit, slot);
          // listr2 starts every row at once (maybe only after events moved it): show it as it is now
          this.setState(slot, row.status, this.rowTitle(row));
          if (this.ending) this.end(row.unit, slot); // the rollout ended before listr2 got here
        }),
    }));
    const summary = eventLine(event, this.c) ?? '';
    // a terminal that reports 0 columns would get one character per line
    this.restoreSize = ensureUsableSize([process.stdout, process.stderr]);
    const listr = new Listr<unknown, ListrRendererValue, ListrRendererValue>(
      [
        {
          title: this.headerTitle(),
          task: (_ctx: unknown, task: AnyTask) => {
            this.header = task;
            for (const note of this.notes) task.output = note;
            if (this.ending) this.endHeader(task);
            return task.newListr(tasks, { concurrent: true, exitOnError: false });
          },
          // notices stay under the header, also in the final frame
          rendererOptions: { outputBar: 5, persistentOutput: true },
        },
      ],
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        ...(this.options.listrRenderer === 'test'
          ? { renderer: 'test' as const, rendererOptions: { task: ['title'], output: true } }
          : {
              renderer: CoalescingRenderer,
              rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: true },
            }),
      },
    );
    if (summary) process.stdout.write(`${summary}\n`);
    this.run = listr.run();
    this.ticker = setInterval(() => this.refresh(), 1_000);
    this.ticker.unref();
  }

  private addNote(note: string): void {
    this.notes.push(note);
    if (this.header) this.header.output = note;
  }

  private refresh(): void {
    if (this.header) this.header.title = this.headerTitle();
    for (const [unit, slot] of this.slots) {
      const row = this.board.rows.get(unit);
      if (row) this.setState(slot, row.status, this.rowTitle(row));
    }
  }

  /**
   * Puts the row's listr2 task in the state that draws `status` (and its title), in one redraw:
   * listr2 redraws on every change, and a frame with the new title but the old state would
   * show, say, a healthy row still spinning.
   */
  private setState(slot: Slot, status: RowStatus, title?: string): void {
    const task = slot.task.task;
    const state = LISTR_STATE[status];
    if (task.state !== state) {
      if (title !== undefined) task.title = title;
      task.state$ = state;
    } else if (title !== undefined && task.title !== title) {
      slot.task.title = title;
    }
  }

  private headerTitle(): string {
    // at the end, the heading says how the run ended, not what it was doing
    const title = this.ending
      ? this.title.replace(/: [^:]*$/, `: ${this.endWords()}`)
      : this.board.rollingBack
        ? this.c.yellow(this.title.replace(/rolling out$/, 'rolling back'))
        : this.title;
    const batch = this.board.batch !== undefined ? ` · batch ${this.board.batch}` : '';
    const seconds = Math.floor((Date.now() - this.started) / 1_000);
    const elapsed = seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1_000);
    return `${title}${batch} · ${elapsed}`;
  }

  /** How the run ended, in words: its outcome (`succeeded`, `rolled back`, …), else done / stopped. */
  private endWords(): string {
    const { ok, outcome } = this.ending ?? { ok: false };
    if (outcome) return outcomeWords(outcome);
    return ok ? 'done' : 'stopped';
  }

  private rowTitle(row: InstanceRow): string {
    const phase = this.paint(row.phase);
    const batch = row.batch !== undefined ? this.c.dim(` batch ${row.batch}`) : '';
    const machine = row.machineID ? this.c.dim(` on ${shortId(row.machineID)}`) : '';
    const systemd = row.systemd ? this.c.dim(` (${row.systemd})`) : '';
    const why = row.diagnosis ? ` — ${row.diagnosis}` : '';
    return `${row.unit.padEnd(18)} ${phase}${batch}${machine}${systemd}${why}`;
  }

  private paint(phase: Phase): string {
    const text = phase.padEnd(8);
    switch (phase) {
      case 'healthy':
        return this.c.green(text);
      case 'failed':
        return this.c.red(text);
      case 'stopping':
      case 'gone':
        return this.c.yellow(text);
      case 'starting':
      case 'launched':
        return this.c.cyan(text);
      default:
        return this.c.dim(text);
    }
  }
}
