/**
 * One shared view of which of a service's instances run (`/state`: any hash, `loaded`/`active`),
 * for the capacity gate. A read is fresh for one poll interval; the waits the engine already does
 * feed it (`seen`), and when the gate needs more it refreshes it by the cheapest of three ways:
 *
 * - per unit: `GET /state?unitName=` for stale instances, 8 at a time, until enough run;
 * - per machine: `GET /state?machineID=` (every page) for the machines the stale instances are
 *   known to be on — only when every stale instance's machine is known;
 * - the listing: `GET /state` (every page), priced from the cluster's size when known.
 *
 * A bulk refresh (machines or listing) runs at most once per poll interval, for all the take-downs
 * in it. Costs per refresh: per unit ≤ the instances still needed; per machine = machines ×
 * pages; listing = ⌊states / 100⌋ + 1 pages (fleet's page size; a trailing empty page at exact
 * multiples). Bookkeeping is O(1) per read and per take-down (a running count of fresh reads that
 * say running, expired in arrival order), never a scan of the instances per take-down.
 *
 * Worked example: N = 100 on 10 machines, 100 `/state` entries in the cluster, batch 1. Each
 * take-down finds the previous refresh older than an interval (a replacement takes several) and
 * needs 99 others: per unit ≈ 99 reads, per machine = 10, listing = 2 pages → the listing, 2
 * requests. At N = 10 the same choice costs 1. The old per-unit round cost 99 and 9.
 */
import type { UnitState } from '@fleet-service/fleet-client';
import { listingPages } from './listing-pages.js';
import type { WatchContext } from './unit-watch.js';

/** Parallel `/state?unitName=` reads per round. */
const READ_AHEAD = 8;

const runs = (s: UnitState) => s.systemdLoadState === 'loaded' && s.systemdActiveState === 'active';

export interface StateViewOptions {
  /** Every instance of the service the plan knows. */
  instances: readonly string[];
  /** The machine each instance was on when planned, where known. */
  machines?: ReadonlyMap<string, string>;
  /** `/state` entries (or units) in the whole cluster when observed: prices the listing. @default unknown (no listing until one was seen) */
  clusterStates?: number;
}

/** How the last refresh read (for tests and the cost model). */
export type RefreshWay = 'unit' | 'machine' | 'listing';

export class ServiceStateView {
  readonly #ctx: WatchContext;
  readonly #instances: readonly string[];
  readonly #isInstance: Set<string>;
  readonly #machineOf = new Map<string, string>();
  readonly #freshMs: number;
  #clusterStates: number | undefined;
  /** Largest number of `/state` entries one machine returned. */
  #perMachine = 0;
  #lastBulkAt = Number.NEGATIVE_INFINITY;
  /** The units this rollout took down and has not seen running again: they count as down. */
  readonly down = new Set<string>();
  readonly #reads = new Map<string, Read>();
  readonly #window: { unit: string; read: Read }[] = [];
  #head = 0;
  #freshRunning = 0;
  #cursor = 0;
  /** Requests made by each way, for tests and benches. */
  readonly requests: Record<RefreshWay, number> = { unit: 0, machine: 0, listing: 0 };

  constructor(ctx: WatchContext, opts: StateViewOptions) {
    this.#ctx = ctx;
    this.#instances = opts.instances;
    this.#isInstance = new Set(opts.instances);
    for (const [unit, machine] of opts.machines ?? []) this.#machineOf.set(unit, machine);
    this.#clusterStates = opts.clusterStates;
    this.#freshMs = ctx.settings.pollIntervalMs;
  }

  #counts(unit: string, r: Read | undefined): boolean {
    return r?.live === true && r.running && !this.down.has(unit);
  }

  #expire(): void {
    const now = this.#ctx.clock.now();
    const w = this.#window;
    while (this.#head < w.length && now - w[this.#head]!.read.at > this.#freshMs) {
      const { unit, read } = w[this.#head++]!;
      if (!read.live) continue;
      this.#kill(unit, read);
    }
    if (this.#head > 1_024 && this.#head * 2 > w.length) {
      w.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #kill(unit: string, read: Read): void {
    if (this.#counts(unit, read)) this.#freshRunning--;
    read.live = false;
  }

  /** Record what a read said about `unit`. */
  #remember(unit: string, running: boolean, machineID?: string): void {
    if (machineID) this.#machineOf.set(unit, machineID);
    const old = this.#reads.get(unit);
    if (old?.live) this.#kill(unit, old);
    const read: Read = { at: this.#ctx.clock.now(), running, live: true };
    this.#reads.set(unit, read);
    this.#window.push({ unit, read });
    if (this.#counts(unit, read)) this.#freshRunning++;
  }

  /** A wait read `unit`'s `/state` entries: the view takes them for free. */
  seen(unit: string, states: readonly UnitState[]): void {
    if (!this.#isInstance.has(unit)) return;
    const on = states.find(runs) ?? states[0];
    this.#remember(unit, states.some(runs), on?.machineID);
  }

  /** The machine `unit` was last seen on (or planned on). */
  machineOf(unit: string): string | undefined {
    return this.#machineOf.get(unit);
  }

  /** `unit` goes down (taken down by this rollout) or comes back (its step saw it running). */
  markDown(unit: string): void {
    if (this.down.has(unit)) return;
    if (this.#counts(unit, this.#reads.get(unit))) this.#freshRunning--;
    this.down.add(unit);
  }

  markUp(unit: string): void {
    if (this.down.delete(unit) && this.#counts(unit, this.#reads.get(unit))) this.#freshRunning++;
  }

  /** Instances other than `unit` (and those down) that fresh reads say run. */
  others(unit: string): number {
    this.#expire();
    return this.#counted(unit);
  }

  /** As `others`, keeping reads that aged during one `fill` (reading 100,000 units takes a while). */
  #counted(unit: string): number {
    return this.#freshRunning - (this.#counts(unit, this.#reads.get(unit)) ? 1 : 0);
  }

  /** Is `unit` running (a fresh read, else one `GET /state?unitName=`)? */
  async isRunning(unit: string): Promise<boolean> {
    this.#expire();
    const cached = this.#reads.get(unit);
    if (cached?.live) return cached.running;
    await this.#readUnits([unit]);
    return this.#reads.get(unit)?.running === true;
  }

  async #readUnits(units: readonly string[]): Promise<void> {
    const { api, signal } = this.#ctx;
    this.requests.unit += units.length;
    await Promise.all(
      units.map(async (u) => this.seen(u, await api.listUnitStates({ unitName: u }, { signal }))),
    );
  }

  /**
   * Read until at least `enough` instances other than `unit` are seen running, or every instance
   * was read: a bulk refresh when it is cheaper and none ran in the last interval, then per-unit
   * reads of what is still stale. `stop()` is asked between rounds (the user's abort).
   */
  async fill(unit: string, enough: number, stop: () => boolean): Promise<number> {
    const need = enough - this.others(unit);
    if (need <= 0) return this.#counted(unit);
    const now = this.#ctx.clock.now();
    if (now - this.#lastBulkAt >= this.#freshMs) {
      const bulk = this.#cheapestBulk(need);
      if (bulk) {
        this.#lastBulkAt = now;
        await bulk();
        if (stop()) return this.#counted(unit);
      }
    }
    const total = this.#instances.length;
    for (let scanned = 0; scanned < total && this.#counted(unit) < enough; ) {
      const chunk: string[] = [];
      while (scanned < total && chunk.length < Math.min(READ_AHEAD, enough - this.#counted(unit))) {
        const name = this.#instances[this.#cursor]!;
        this.#cursor = (this.#cursor + 1) % total;
        scanned++;
        if (name !== unit && !this.down.has(name) && !this.#reads.get(name)?.live) chunk.push(name);
      }
      await this.#readUnits(chunk);
      if (stop()) break;
    }
    return this.#counted(unit);
  }

  /** The cheaper bulk refresh than `need` per-unit reads, if there is one. */
  #cheapestBulk(need: number): (() => Promise<void>) | undefined {
    const listing =
      this.#clusterStates === undefined ? Number.POSITIVE_INFINITY : listingPages(this.#clusterStates);
    let machines: Set<string> | undefined = new Set<string>();
    for (const name of this.#instances) {
      if (this.down.has(name) || this.#reads.get(name)?.live) continue;
      const m = this.#machineOf.get(name);
      if (m === undefined) {
        machines = undefined;
        break;
      }
      machines.add(m);
    }
    const byMachine = machines ? machines.size * listingPages(this.#perMachine) : Number.POSITIVE_INFINITY;
    if (Math.min(listing, byMachine) >= need) return undefined;
    if (listing <= byMachine) return () => this.#readListing();
    return () => this.#readMachines([...machines!]);
  }

  async #readListing(): Promise<void> {
    const states = await this.#ctx.api.listUnitStates({}, { signal: this.#ctx.signal });
    this.requests.listing += listingPages(states.length);
    this.#clusterStates = states.length;
    this.#take(states, () => true);
  }

  async #readMachines(machines: string[]): Promise<void> {
    const { api, signal } = this.#ctx;
    const read = await Promise.all(machines.map((m) => api.listUnitStates({ machineID: m }, { signal })));
    for (const s of read) {
      this.requests.machine += listingPages(s.length);
      this.#perMachine = Math.max(this.#perMachine, s.length);
    }
    const covered = new Set(machines);
    this.#take(read.flat(), (name) => covered.has(this.#machineOf.get(name) ?? ''));
  }

  /** Take a bulk read: instances in it as they are; those it `covers` but lacks as not running. */
  #take(states: readonly UnitState[], covers: (name: string) => boolean): void {
    const byUnit = new Map<string, UnitState[]>();
    for (const s of states) {
      if (!s.name || !this.#isInstance.has(s.name)) continue;
      const list = byUnit.get(s.name);
      if (list) list.push(s);
      else byUnit.set(s.name, [s]);
    }
    for (const name of this.#instances) {
      const found = byUnit.get(name);
      if (found) this.seen(name, found);
      else if (covers(name)) this.#remember(name, false);
    }
  }

  /** Up to 10 instances other than `unit` that fresh reads say run (for "last seen"). */
  someRunning(unit: string): string[] {
    const names: string[] = [];
    for (const [name, r] of this.#reads) {
      if (names.length >= 10) break;
      if (name !== unit && this.#counts(name, r)) names.push(name);
    }
    return names;
  }
}

interface Read {
  at: number;
  running: boolean;
  /** Still fresh (in the window). */
  live: boolean;
}
