/**
 * One rollout's event stream while this process runs it: numbered events, written to the store
 * as they happen, handed to live watchers. Replay + follow is race-free because both happen in
 * one synchronous step (the store is synchronous).
 */

import type { RolloutEntry, StoredEvent, StreamEvent } from '../store/entry.js';
import type { StateStore } from '../store/state-store.js';

export interface Watcher {
  onEvent(e: StoredEvent): void;
  /** The rollout ended (finished or superseded): no more events. */
  onEnd(entry: RolloutEntry): void;
}

export class EntryStreams {
  private readonly seqs = new Map<string, number>();
  private readonly watchers = new Map<string, Set<Watcher>>();

  constructor(private readonly store: StateStore) {}

  emit(id: string, event: StreamEvent): void {
    const seq = (this.seqs.get(id) ?? this.store.lastSeq(id)) + 1;
    this.seqs.set(id, seq);
    this.store.appendEvent(id, seq, event);
    for (const w of this.watchers.get(id) ?? []) w.onEvent({ seq, event });
  }

  /** Replay the events after `afterSeq`, then follow (unless the entry has ended). Returns the unsubscribe. */
  watch(entry: RolloutEntry, afterSeq: number, watcher: Watcher): () => void {
    for (const e of this.store.events(entry.id, afterSeq)) watcher.onEvent(e);
    if (entry.state === 'finished' || entry.state === 'superseded') {
      watcher.onEnd(entry);
      return () => {};
    }
    const set = this.watchers.get(entry.id) ?? new Set<Watcher>();
    this.watchers.set(entry.id, set);
    set.add(watcher);
    return () => set.delete(watcher);
  }

  /** Every stored event of a rollout, in order. */
  replay(id: string): StoredEvent[] {
    return this.store.events(id, 0);
  }

  /** The entry ended: tell and drop its watchers. */
  end(entry: RolloutEntry): void {
    const set = this.watchers.get(entry.id);
    this.watchers.delete(entry.id);
    this.seqs.delete(entry.id);
    for (const w of set ?? []) w.onEnd(entry);
  }

  watching(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }
}
