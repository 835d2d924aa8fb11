/**
 * The rollout queue. One rollout per service at a time; a newer request for a service supersedes
 * its queued one (latest wins); services run concurrently up to `parallel`. Every accepted request
 * is in the store before `accept` returns; on start, entries left `running` or `queued` by an
 * earlier process are run again under the same id (the engine completes a recorded rollout, and
 * the lock this server held is taken over at once). A lock held by another replica is waited for.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import {
  classifyError,
  deployVersion,
  destroyVersion,
  isRolloutError,
  type LockOptions,
  listVersionedUnits,
  type RolloutEvent,
  type RolloutResult,
  rollbackService,
  rollbackVersion,
  rollout,
} from '@fleet-service/rollout';
import type { ServeConfig } from '../config/serve-config.js';
import type { DeployRequest, RolloutEntry, StreamEvent } from '../store/entry.js';
import type { StateStore } from '../store/state-store.js';
import { checkVersion, serviceFor, specFor, versionedSpecFor } from './deploy-spec.js';
import { EntryStreams, type Watcher } from './entry-stream.js';

export interface DeployerOptions {
  api: FleetApi;
  config: ServeConfig;
  store: StateStore;
  /** @default systemClock */
  clock?: Clock;
  /** Services rolled out at once. @default 4 */
  parallel?: number;
  /** This server's lock owner (kept in the store: the same after a restart). */
  owner: string;
  /** Shown in the lock. */
  host?: string;
  pid?: number;
  /** Lock settings for every rollout (owner and holder check are the server's). */
  lock?: Omit<LockOptions, 'owner' | 'isHolderAlive'>;
  /** Wait between tries while another replica holds a service's lock. @default 5_000 */
  lockRetryMs?: number;
  /** Called when an entry starts running and when it ends (finished or superseded). */
  onChange?: (entry: RolloutEntry) => void;
  /** Every engine event (notifications follow them). */
  onEvent?: (entry: RolloutEntry, event: RolloutEvent) => void;
  /** New rollout ids. @default randomUUID */
  newId?: () => string;
}

interface Running {
  entry: RolloutEntry;
  abort: AbortController;
  done: Promise<void>;
}

const LOCK_HELD = 'ERR_ROLLOUT_LOCK_HELD';

export class Deployer {
  readonly streams: EntryStreams;
  private readonly clock: Clock;
  private readonly parallel: number;
  private readonly queued = new Map<string, RolloutEntry>();
  private readonly running = new Map<string, Running>();
  private readonly waiters = new Map<string, ((e: RolloutEntry) => void)[]>();
  private closed = false;

  constructor(private readonly opts: DeployerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.parallel = opts.parallel ?? 4;
    this.streams = new EntryStreams(opts.store);
  }

  get config(): ServeConfig {
    return this.opts.config;
  }

  /**
   * Check, store, queue. Throws DeployRequestError (nothing stored) when the request cannot run.
   * Returns the entry, already in the store.
   */
  accept(request: DeployRequest): RolloutEntry {
    if (request.kind === 'deploy') specFor(this.opts.config, request, {});
    else if (request.kind === 'deploy-version') versionedSpecFor(this.opts.config, request, {});
    else if (request.kind === 'destroy-version') {
      serviceFor(this.opts.config, request);
      checkVersion(request.version);
    } else serviceFor(this.opts.config, request);
    const entry: RolloutEntry = {
      id: this.opts.newId?.() ?? randomUUID(),
      service: request.service,
      request,
      state: 'queued',
      createdAt: this.clock.now(),
    };
    this.opts.store.insert(entry);
    this.enqueue(entry);
    return entry;
  }

  /** Run what an earlier process left: its running entries first, then its queued ones. */
  resume(): RolloutEntry[] {
    const left = [...this.opts.store.inState('running'), ...this.opts.store.inState('queued')];
    for (const entry of left) {
      if (!this.opts.config.services.has(entry.service)) {
        // the config no longer lists the service: answered, not run
        entry.state = 'finished';
        entry.outcome = 'error';
        entry.finishedAt = this.clock.now();
        entry.error = {
          name: 'DeployRequestError',
          code: 'ERR_SERVE_REQUEST',
          message: `service "${entry.service}" is no longer in the config`,
        };
        this.opts.store.update(entry);
        continue;
      }
      entry.state = 'queued';
      this.enqueue(entry);
    }
    return left;
  }

  get(id: string): RolloutEntry | undefined {
    return this.running.get(this.serviceOfRunning(id) ?? '')?.entry ?? this.opts.store.get(id);
  }

  /** The entry once it ended (finished or superseded). */
  waitFor(id: string): Promise<RolloutEntry> {
    const entry = this.get(id);
    if (!entry) return Promise.reject(new Error(`no rollout ${id}`));
    if (entry.state === 'finished' || entry.state === 'superseded') return Promise.resolve(entry);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  watch(entry: RolloutEntry, afterSeq: number, watcher: Watcher): () => void {
    return this.streams.watch(entry, afterSeq, watcher);
  }

  inFlight(): number {
    return this.running.size;
  }

  queueLength(): number {
    return this.queued.size;
  }

  /** Stop: running rollouts are interrupted (the engine stops safely) and stay `running` in the store, to resume. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort(new Error('fs serve is shutting down'));
    await Promise.all(all.map((r) => r.done));
  }

  private serviceOfRunning(id: string): string | undefined {
    for (const [service, r] of this.running) if (r.entry.id === id) return service;
    return undefined;
  }

  private enqueue(entry: RolloutEntry): void {
    const older = this.queued.get(entry.service);
    if (older && older.id !== entry.id) {
      older.state = 'superseded';
      older.supersededBy = entry.id;
      older.finishedAt = this.clock.now();
      this.opts.store.update(older);
      this.ended(older);
    }
    this.queued.set(entry.service, entry);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    // oldest first among services not running
    const ready = [...this.queued.values()]
      .filter((e) => !this.running.has(e.service))
      .sort((a, b) => a.createdAt - b.createdAt);
    for (const entry of ready) {
      if (this.running.size >= this.parallel) return;
      this.queued.delete(entry.service);
      this.start(entry);
    }
  }

  private start(entry: RolloutEntry): void {
    entry.state = 'running';
    entry.startedAt = this.clock.now();
    this.opts.store.update(entry);
    this.opts.onChange?.(entry);
    const abort = new AbortController();
    const running: Running = { entry, abort, done: Promise.resolve() };
    this.running.set(entry.service, running);
    running.done = this.run(entry, abort.signal).finally(() => {
      this.running.delete(entry.service);
      this.schedule();
    });
  }

  private async run(entry: RolloutEntry, signal: AbortSignal): Promise<void> {
    let result: RolloutResult | undefined;
    let failure: unknown;
    try {
      result = await this.withLockRetry(entry, signal);
    } catch (error) {
      failure = error;
      result = (error as { result?: RolloutResult }).result;
    }
    if (signal.aborted && this.closed) return; // shutting down: resumed by the next start
    entry.state = 'finished';
    entry.finishedAt = this.clock.now();
    if (result) entry.result = result;
    entry.outcome = result?.outcome ?? 'error';
    if (failure !== undefined) {
      entry.failureClass = classifyError(failure);
      const e = failure as { name?: string; code?: string; message?: string };
      entry.error = {
        name: e.name ?? 'Error',
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
        message: e.message ?? String(failure),
      };
    }
    this.opts.store.update(entry);
    this.ended(entry);
  }

  /** Run the engine; while another replica holds the lock, wait and try again. */
  private async withLockRetry(entry: RolloutEntry, signal: AbortSignal): Promise<RolloutResult> {
    for (;;) {
      // an attempt's events wait until it has the lock: a lost race leaves no `done` in the stream
      let held: StreamEvent[] | undefined = [];
      const flush = () => {
        for (const e of held ?? []) this.streams.emit(entry.id, e);
        held = undefined;
      };
      const onEvent = (event: RolloutEvent) => {
        this.opts.onEvent?.(entry, event);
        if (held) {
          held.push(event);
          if (event.type === 'lock-acquired') flush();
        } else this.streams.emit(entry.id, event);
      };
      try {
        const result = await this.engineCall(entry, signal, onEvent);
        flush();
        return result;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== LOCK_HELD || signal.aborted) {
          flush();
          throw error;
        }
        const holder = (error as { holder?: { owner?: string; host?: string } }).holder;
        const retryInMs = this.opts.lockRetryMs ?? 5_000;
        this.streams.emit(entry.id, {
          type: 'lock-wait',
          service: entry.service,
          rolloutId: entry.id,
          time: this.clock.now(),
          holder: `${holder?.owner ?? '?'} on ${holder?.host ?? '?'}`,
          retryInMs,
        });
        await this.clock.sleep(retryInMs, signal);
      }
    }
  }

  private engineCall(
    entry: RolloutEntry,
    signal: AbortSignal,
    onEvent: (e: RolloutEvent) => void,
  ): Promise<RolloutResult> {
    const owner = this.opts.owner;
    // a lock under this server's own name that no rollout of this process holds was left by an
    // earlier run of this server (restart, crash): take it over at once
    const lock: LockOptions = { ...this.opts.lock, owner, isHolderAlive: (h) => h.owner !== owner };
    const deps = {
      api: this.opts.api,
      clock: this.clock,
      rolloutId: entry.id,
      signal,
      onEvent,
      host: this.opts.host ?? 'unknown',
      pid: this.opts.pid ?? 0,
    };
    if (entry.request.kind === 'rollback') {
      const d = serviceFor(this.opts.config, entry.request);
      const spec = { ...d.strategy, lock };
      return rollbackService(entry.service, { ...deps, spec }).catch(async (error: unknown) => {
        // a versioned service (deployster's deploys): the version that served before, again
        if (!isRolloutError(error, 'ERR_ROLLOUT_NO_SUCH_SERVICE')) throw error;
        if ((await listVersionedUnits(this.opts.api, entry.service)).length === 0) throw error;
        return rollbackVersion(entry.service, { ...deps, spec });
      });
    }
    if (entry.request.kind === 'deploy-version')
      return deployVersion(versionedSpecFor(this.opts.config, entry.request, lock), deps);
    if (entry.request.kind === 'destroy-version') {
      const d = serviceFor(this.opts.config, entry.request);
      return destroyVersion(entry.service, checkVersion(entry.request.version), {
        ...deps,
        spec: { ...d.strategy, lock },
      });
    }
    return rollout(specFor(this.opts.config, entry.request, lock), deps);
  }

  private ended(entry: RolloutEntry): void {
    this.streams.end(entry);
    this.opts.onChange?.(entry);
    const list = this.waiters.get(entry.id) ?? [];
    this.waiters.delete(entry.id);
    for (const resolve of list) resolve(entry);
  }
}
