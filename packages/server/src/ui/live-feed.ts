/**
 * The status page's live feed: one message per change of any rollout (state, a finished step),
 * with its progress, for every page that watches (`GET /ui/feed`, server-sent events). Bounded:
 * a slow watcher drops nothing here (SSE writes are buffered by the socket), and the per-rollout
 * counters are dropped when the rollout ends.
 */
import type { RolloutEvent } from '@fleet-service/rollout';
import type { RolloutEntry } from '../store/entry.js';

/** What a page learns about one rollout. */
export interface FeedMessage {
  id: string;
  service: string;
  kind: string;
  state: RolloutEntry['state'];
  outcome?: string;
  /** Steps finished of the rollout's plan (its own, not a rollback's). */
  done: number;
  total: number;
  /** The last thing that happened, in words. */
  last: string;
}

export class LiveFeed {
  private readonly listeners = new Set<(m: FeedMessage) => void>();
  private readonly progress = new Map<string, { done: number; total: number; last: string }>();

  subscribe(listener: (m: FeedMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An engine event of a running rollout. */
  event(entry: RolloutEntry, event: RolloutEvent): void {
    const p = this.progressOf(entry.id);
    const rollback = event.phase === 'rollback';
    if (event.type === 'plan' && !rollback) p.total = event.plan.steps.length;
    if (event.type === 'step-finished' && !rollback) p.done += 1;
    p.last = describeEvent(event);
    this.publish(entry);
  }

  /** A rollout started or ended. */
  change(entry: RolloutEntry): void {
    this.publish(entry);
    if (entry.state === 'finished' || entry.state === 'superseded') this.progress.delete(entry.id);
  }

  /** Progress of a rollout in flight (for the server-rendered page). */
  progressOf(id: string): { done: number; total: number; last: string } {
    let p = this.progress.get(id);
    if (!p) {
      p = { done: 0, total: 0, last: '' };
      this.progress.set(id, p);
    }
    return p;
  }

  private publish(entry: RolloutEntry): void {
    const p = this.progress.get(entry.id) ?? { done: 0, total: 0, last: '' };
    const message: FeedMessage = {
      id: entry.id,
      service: entry.service,
      kind: entry.request.kind,
      state: entry.state,
      ...(entry.outcome ? { outcome: entry.outcome } : {}),
      done: p.done,
      total: p.total,
      last: p.last || entry.state,
    };
    for (const l of this.listeners) l(message);
  }
}

/** One line for an event (the page's timeline and progress). */
export function describeEvent(event: { type: string }): string {
  const e = event as { type: string } & Record<string, unknown>;
  const step = e.step as { action?: string; unit?: string } | undefined;
  const prefix = e.phase === 'rollback' ? 'rollback: ' : '';
  switch (e.type) {
    case 'plan': {
      const plan = e.plan as { steps: unknown[]; count: number };
      return `${prefix}plan: ${plan.steps.length} steps, ${plan.count} instances`;
    }
    case 'step-started':
    case 'step-finished':
    case 'step-failed':
      return `${prefix}${e.type.slice(5)}: ${step?.action ?? ''} ${step?.unit ?? ''}`;
    case 'done':
      return `done: ${(e.result as { outcome?: string }).outcome ?? ''}`;
    default:
      return `${prefix}${e.type}${typeof e.unit === 'string' ? ` ${e.unit}` : ''}`;
  }
}
