import { Chalk } from 'chalk';
import type { OutputMode } from '../output/output-mode.js';
import { eventLine, type LineEvent, type SummaryResult, stamp, summaryLine } from './event-lines.js';

/** Renders a rollout's events as they happen, then its result. */
export interface RolloutRenderer {
  onEvent(event: unknown): void;
  /** Stops live rendering; prints the summary in text modes. */
  finish(result: SummaryResult | undefined): Promise<void>;
  /** A short message for the user (e.g. "stopping safely…"), shown the mode's way. */
  notice(message: string): void;
}

/** Picks the renderer for the output mode; listr2 is imported only for live terminals. */
export async function createRolloutRenderer(mode: OutputMode, title: string): Promise<RolloutRenderer> {
  if (mode.format === 'ndjson') return new NdjsonRenderer();
  if (mode.format === 'json') return new SilentRenderer();
  if (mode.live) {
    const { LiveRenderer } = await import('./live-renderer.js');
    return new LiveRenderer(title, mode);
  }
  return new PlainRenderer(mode);
}

/** `--json`: nothing while running; the command prints one document at the end. */
class SilentRenderer implements RolloutRenderer {
  onEvent(): void {}
  async finish(): Promise<void> {}
  notice(message: string): void {
    process.stderr.write(`${message}\n`);
  }
}

/** `--output ndjson`: every event as one JSON line, as it happens. */
class NdjsonRenderer implements RolloutRenderer {
  onEvent(event: unknown): void {
    process.stdout.write(`${JSON.stringify(event)}\n`);
  }
  async finish(): Promise<void> {}
  notice(message: string): void {
    process.stdout.write(`${JSON.stringify({ type: 'notice', time: Date.now(), message })}\n`);
  }
}

/** Not a terminal: one timestamped plain line per event. */
export class PlainRenderer implements RolloutRenderer {
  private readonly c;
  private readonly lastState = new Map<string, string>();

  constructor(private readonly mode: OutputMode) {
    this.c = new Chalk({ level: mode.color ? 1 : 0 });
  }

  onEvent(raw: unknown): void {
    if (this.mode.quiet) return;
    const event = raw as LineEvent;
    if (event.type === 'state-observed' && !this.mode.verbose) {
      // Print a polled state only when it changed, so a long wait is one line, not hundreds.
      const key = `${event.currentState}|${event.machineID}|${event.systemd?.active}|${event.systemd?.sub}`;
      if (this.lastState.get(event.unit ?? '') === key) return;
      this.lastState.set(event.unit ?? '', key);
    }
    const line = eventLine(event, this.c);
    if (line !== undefined) process.stdout.write(`${stamp(event.time)} ${line}\n`);
  }

  async finish(result: SummaryResult | undefined): Promise<void> {
    if (result) process.stdout.write(`${summaryLine(result, this.c)}\n`);
  }

  notice(message: string): void {
    process.stderr.write(`${stamp(undefined)} ${message}\n`);
  }
}
