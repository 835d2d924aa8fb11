import type { RolloutEvent } from '@fleet-service/rollout';
import { Chalk } from 'chalk';
import type { OutputMode } from '../output/output-mode.js';
import { eventLine, type SummaryResult, stamp, summaryLine, systemdText } from './event-lines.js';

/** Renders a rollout's events as they happen, then its result. */
export interface RolloutRenderer {
  /** One engine event; a type this version does not know is streamed (ndjson) or ignored. */
  onEvent(event: RolloutEvent): void;
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
  onEvent(event: RolloutEvent): void {
    process.stdout.write(`${JSON.stringify(event)}\n`);
  }
  async finish(): Promise<void> {}
  notice(message: string): void {
    process.stdout.write(`${JSON.stringify({ type: 'notice', time: Date.now(), message })}\n`);
  }
}

/**
 * Not a terminal: one timestamped plain line per event. A polled state is printed once, when it
 * changes: what fleet says (currentState, machine) and what systemd says are two facts, so a
 * poll that only adds the systemd view prints that alone, never the fleet state a second time.
 */
export class PlainRenderer implements RolloutRenderer {
  private readonly c;
  /** Per unit: the fleet state and the systemd state last printed. */
  private readonly printed = new Map<string, { fleet: string; systemd: string }>();
  private rollingBack = false;

  constructor(private readonly mode: OutputMode) {
    this.c = new Chalk({ level: mode.color ? 1 : 0 });
  }

  onEvent(event: RolloutEvent): void {
    if (this.mode.quiet) return;
    const line = this.line(event);
    if (event.type === 'rollback-started') this.rollingBack = true;
    if (line !== undefined) process.stdout.write(`${stamp(event.time)} ${line}\n`);
  }

  private line(event: RolloutEvent): string | undefined {
    if (event.type === 'plan' && this.rollingBack) {
      const line = eventLine(event, this.c);
      return line && `rollback ${line}`;
    }
    if (event.type !== 'state-observed' || this.mode.verbose) return eventLine(event, this.c);
    const fleet =
      event.currentState === undefined && event.machineID === undefined
        ? 'absent'
        : `${event.currentState ?? '-'}@${event.machineID ?? '-'}`;
    const systemd = event.systemd ? systemdText(event.systemd) : '';
    const last = this.printed.get(event.unit);
    this.printed.set(event.unit, { fleet, systemd: systemd || (last?.fleet === fleet ? last.systemd : '') });
    if (last?.fleet !== fleet) return eventLine(event, this.c);
    // the same fleet state: only a new systemd view is news
    if (!systemd || systemd === last.systemd) return undefined;
    if (fleet === 'absent') return eventLine(event, this.c);
    const on = event.machineID ? ` on ${event.machineID.slice(0, 8)}` : '';
    return this.c.dim(`${event.unit}: systemd ${systemd}${on}`);
  }

  async finish(result: SummaryResult | undefined): Promise<void> {
    if (result) process.stdout.write(`${summaryLine(result, this.c)}\n`);
  }

  notice(message: string): void {
    process.stderr.write(`${stamp(undefined)} ${message}\n`);
  }
}
