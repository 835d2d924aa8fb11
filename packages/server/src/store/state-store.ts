/**
 * The server's state store: SQLite through better-sqlite3 (WAL, one writer: this process).
 * Accepted requests, their state, events and results; retention keeps the newest finished
 * rollouts. Every call is synchronous, so "written before answered" holds by construction.
 * `path` absent → an in-memory database (tests, benchmarks).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StateStoreError } from '../errors.js';
import type { EntryState, RolloutEntry, StoredEvent, StreamEvent } from './entry.js';

export interface StateStoreOptions {
  /** Directory for `fs-serve.db`; absent → in memory (nothing survives the process). */
  dir?: string;
  /** Finished rollouts kept (older ones and their events are deleted). @default 1000 */
  keepRollouts?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rollouts (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  service TEXT NOT NULL,
  state TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rollouts_state ON rollouts (state);
CREATE TABLE IF NOT EXISTS events (
  rollout_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (rollout_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS callbacks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  url TEXT NOT NULL,
  rollouts TEXT NOT NULL
);
`;

export class StateStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly keep: number;
  private readonly stmts;

  constructor(opts: StateStoreOptions = {}) {
    this.keep = opts.keepRollouts ?? 1_000;
    try {
      if (opts.dir) mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
      this.path = opts.dir ? join(opts.dir, 'fs-serve.db') : ':memory:';
      this.db = new Database(this.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      throw new StateStoreError(
        `cannot open the state store in ${opts.dir ?? 'memory'}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const db = this.db;
    this.stmts = {
      insert: db.prepare('INSERT INTO rollouts (id, service, state, body) VALUES (?, ?, ?, ?)'),
      update: db.prepare('UPDATE rollouts SET state = ?, body = ? WHERE id = ?'),
      get: db.prepare('SELECT body FROM rollouts WHERE id = ?'),
      byState: db.prepare('SELECT body FROM rollouts WHERE state = ? ORDER BY n'),
      lastOf: db.prepare('SELECT body FROM rollouts WHERE service = ? ORDER BY n DESC LIMIT ?'),
      recent: db.prepare('SELECT body FROM rollouts ORDER BY n DESC LIMIT ?'),
      event: db.prepare('INSERT INTO events (rollout_id, seq, body) VALUES (?, ?, ?)'),
      events: db.prepare('SELECT seq, body FROM events WHERE rollout_id = ? AND seq > ? ORDER BY seq'),
      lastSeq: db.prepare('SELECT MAX(seq) AS seq FROM events WHERE rollout_id = ?'),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      expired: db.prepare(
        `SELECT id FROM rollouts WHERE state IN ('finished', 'superseded') ORDER BY n DESC LIMIT -1 OFFSET ?`,
      ),
      deleteRollout: db.prepare('DELETE FROM rollouts WHERE id = ?'),
      deleteEvents: db.prepare('DELETE FROM events WHERE rollout_id = ?'),
      addCallback: db.prepare('INSERT INTO callbacks (url, rollouts) VALUES (?, ?)'),
      callbacks: db.prepare('SELECT id, url, rollouts FROM callbacks ORDER BY id'),
      removeCallback: db.prepare('DELETE FROM callbacks WHERE id = ?'),
    };
  }

  /** A value kept across restarts (e.g. the server's identity), created once by `make`. */
  meta(key: string, make: () => string): string {
    const row = this.stmts.meta.get(key) as { value: string } | undefined;
    if (row) return row.value;
    const value = make();
    this.stmts.setMeta.run(key, value);
    return value;
  }

  insert(entry: RolloutEntry): void {
    this.write(() => this.stmts.insert.run(entry.id, entry.service, entry.state, JSON.stringify(entry)));
  }

  update(entry: RolloutEntry): void {
    this.write(() => this.stmts.update.run(entry.state, JSON.stringify(entry), entry.id));
    if (entry.state === 'finished' || entry.state === 'superseded') this.expire();
  }

  get(id: string): RolloutEntry | undefined {
    const row = this.stmts.get.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as RolloutEntry) : undefined;
  }

  /** Entries in a state, oldest first. */
  inState(state: EntryState): RolloutEntry[] {
    return (this.stmts.byState.all(state) as { body: string }[]).map((r) => JSON.parse(r.body));
  }

  /** A service's newest entries, newest first. */
  lastOf(service: string, limit = 1): RolloutEntry[] {
    return (this.stmts.lastOf.all(service, limit) as { body: string }[]).map((r) => JSON.parse(r.body));
  }

  recent(limit: number): RolloutEntry[] {
    return (this.stmts.recent.all(limit) as { body: string }[]).map((r) => JSON.parse(r.body));
  }

  appendEvent(rolloutId: string, seq: number, event: StreamEvent): void {
    this.write(() => this.stmts.event.run(rolloutId, seq, JSON.stringify(event)));
  }

  /** Events after `afterSeq` (0: all), in order. */
  events(rolloutId: string, afterSeq = 0): StoredEvent[] {
    return (this.stmts.events.all(rolloutId, afterSeq) as { seq: number; body: string }[]).map((r) => ({
      seq: r.seq,
      event: JSON.parse(r.body),
    }));
  }

  lastSeq(rolloutId: string): number {
    return (this.stmts.lastSeq.get(rolloutId) as { seq: number | null }).seq ?? 0;
  }

  /** A callback to send once these rollouts ended (Docker Hub's `callback_url`); its id. */
  addCallback(url: string, rolloutIds: readonly string[]): number {
    let id = 0;
    this.write(() => {
      id = Number(this.stmts.addCallback.run(url, JSON.stringify(rolloutIds)).lastInsertRowid);
    });
    return id;
  }

  /** Callbacks not sent yet, oldest first. */
  pendingCallbacks(): { id: number; url: string; rollouts: string[] }[] {
    return (this.stmts.callbacks.all() as { id: number; url: string; rollouts: string }[]).map((r) => ({
      id: r.id,
      url: r.url,
      rollouts: JSON.parse(r.rollouts) as string[],
    }));
  }

  removeCallback(id: number): void {
    this.write(() => this.stmts.removeCallback.run(id));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private expire(): void {
    const ids = this.stmts.expired.all(this.keep) as { id: string }[];
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const { id } of ids) {
        this.stmts.deleteEvents.run(id);
        this.stmts.deleteRollout.run(id);
      }
    })();
  }

  private write(run: () => unknown): void {
    try {
      run();
    } catch (error) {
      throw new StateStoreError(`state store ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }
}
