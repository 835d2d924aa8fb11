import { Chalk, type ChalkInstance } from 'chalk';
import { Listr, type ListrTaskWrapper } from 'listr2';
import { formatDuration } from '../flags/duration.js';
import type { OutputMode } from '../output/output-mode.js';
import { eventLine, type LineEvent, type SummaryResult, shortId, summaryLine } from './event-lines.js';
import { InstanceBoard, type InstanceRow, type Phase } from './instance-board.js';
import type { RolloutRenderer } from './rollout-renderer.js';

// biome-ignore lint/suspicious/noExplicitAny: listr2's wrapper generics are not useful here
type AnyTask = ListrTaskWrapper<any, any, any>;

interface Slot {
  task?: AnyTask;
  settle: (outcome: 'ok' | 'failed' | 'skipped') => void;
}

/**
 * A terminal: listr2 redraws one line per instance in place (stopping → gone → starting →
 * launched → healthy), plus a header with the batch and the elapsed time.
 * Started when the plan arrives (the plan names the instances).
 */
export class LiveRenderer implements RolloutRenderer {
  private readonly c: ChalkInstance;
  private readonly board = new InstanceBoard();
  private readonly slots = new Map<string, Slot>();
  private readonly started = Date.now();
  private header: AnyTask | undefined;
  private headerDone: ((ok: boolean) => void) | undefined;
  private run: Promise<unknown> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private note = '';

  constructor(
    private readonly title: string,
    mode: OutputMode,
  ) {
    this.c = new Chalk({ level: mode.color ? 1 : 0 });
  }

  onEvent(raw: unknown): void {
    const event = raw as LineEvent;
    this.board.apply(event);
    if (event.type === 'plan') this.start(event);
    if (!this.run) {
      // Before the plan (lock, observe): plain lines.
      const line = eventLine(event, this.c);
      if (line) process.stdout.write(`${line}\n`);
      return;
    }
    if (event.type === 'lock-lost') this.note = eventLine(event, this.c) ?? '';
    this.refresh();
  }

  notice(message: string): void {
    this.note = this.c.yellow(message);
    this.refresh();
    if (!this.run) process.stderr.write(`${message}\n`);
  }

  async finish(result: SummaryResult | undefined): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    if (this.run) {
      this.refresh();
      for (const [unit, slot] of this.slots) {
        const phase = this.board.rows.get(unit)?.phase;
        slot.settle(phase === 'failed' ? 'failed' : phase === 'pending' ? 'skipped' : 'ok');
      }
      this.headerDone?.(result?.outcome === 'succeeded' || result?.outcome === 'unchanged');
      await this.run.catch(() => undefined);
    }
    if (result) process.stdout.write(`${summaryLine(result, this.c)}\n`);
  }

  private start(event: LineEvent): void {
    if (this.run) return;
    const rows = [...this.board.rows.values()].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const tasks = rows.map((row) => ({
      title: this.rowTitle(row),
      task: (_ctx: unknown, task: AnyTask) =>
        new Promise<void>((resolve, reject) => {
          this.slots.set(row.unit, {
            task,
            settle: (outcome) => {
              if (outcome === 'failed') reject(new Error(`${row.unit} ${row.diagnosis ?? 'failed'}`));
              else {
                if (outcome === 'skipped') task.skip(`${row.unit.padEnd(18)} not started`);
                resolve();
              }
            },
          });
        }),
    }));
    const summary = eventLine(event, this.c) ?? '';
    const listr = new Listr(
      [
        {
          title: this.headerTitle(),
          task: (_ctx: unknown, task: AnyTask) => {
            this.header = task;
            return task.newListr(tasks, { concurrent: true, exitOnError: false });
          },
        },
      ],
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        rendererOptions: { collapseSubtasks: false, collapseErrors: false, showErrorMessage: true },
      },
    );
    // The header finishes with its subtasks; `headerDone` is kept for symmetry with the rows.
    this.headerDone = () => undefined;
    if (summary) process.stdout.write(`${summary}\n`);
    this.run = listr.run();
    this.ticker = setInterval(() => this.refresh(), 1_000);
    this.ticker.unref();
  }

  private refresh(): void {
    if (this.header) this.header.title = this.headerTitle();
    for (const [unit, slot] of this.slots) {
      const row = this.board.rows.get(unit);
      if (row && slot.task) slot.task.title = this.rowTitle(row);
    }
  }

  private headerTitle(): string {
    const title = this.board.rollingBack
      ? this.c.yellow(this.title.replace(/rolling out$/, 'rolling back'))
      : this.title;
    const batch = this.board.batch !== undefined ? ` · batch ${this.board.batch}` : '';
    const seconds = Math.floor((Date.now() - this.started) / 1_000);
    const elapsed = seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1_000);
    const note = this.note ? ` · ${this.note}` : '';
    return `${title}${batch} · ${elapsed}${note}`;
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
