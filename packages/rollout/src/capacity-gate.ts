/**
 * The capacity gate. The plan's batches are sized so that capacity holds *if* everything the plan
 * counted on is still running; the gate checks that it is. Before the engine takes a running
 * instance down (recreate's destroy, in-place's PUT of new contents, a forced restart's stop, the
 * destroy of a spare or of an index above N) it counts the service's instances that are ACTUALLY
 * running, from fresh `GET /state?unitName=` reads, and waits until taking the unit down still
 * leaves `N − maxUnavailable` running. Instances the engine itself took down count as down until
 * their step confirmed them running again (fleet's `/state` lags systemd by up to a second, so it
 * would still show them). A unit that is not running anyway is taken down at once: that costs no
 * capacity.
 *
 * Take-downs are serialised (the steps of one batch run together), so two steps never count the
 * same spare capacity twice. Cost: per take-down, one read per other instance of the service until
 * `N − maxUnavailable` are seen running (plus one of the unit itself when they are not) —
 * O(service), never O(cluster); a read younger than a quarter poll interval (≤ 250 ms; fleet's
 * `/state` itself lags systemd by up to a second) is reused, so the take-downs of one batch,
 * which pass the gate back to back, share one round of reads. The bookkeeping around the reads is
 * O(1) per read and per take-down (a running count of fresh reads), never a scan of the instances.
 *
 * Limits: a `/state` entry left by a machine that just died still reads as active until fleet's
 * TTL expires it (~17 s), and an instance that passed its stability window may still fail later;
 * the gate cannot see either coming.
 */
import type { WatchContext } from './unit-watch.js';
import { waitUntil } from './wait.js';

/** Thrown by `takeDown` when the rollout was aborted while the gate waited: nothing was taken down. */
export class TakeDownCancelled extends Error {
  override readonly name = 'TakeDownCancelled';
  readonly unit: string;
  constructor(unit: string) {
    super(`rollout aborted before ${unit} was taken down`);
    this.unit = unit;
  }
}

export interface CapacityGate {
  /** Wait until `unit` may go down; from then on it counts as down until `restored(unit)`. */
  takeDown(unit: string): Promise<void>;
  /** The unit's step confirmed it running again. */
  restored(unit: string): void;
}

export interface CapacityGateOptions {
  /** Every instance of the service the plan knows (indexes 1..N, spares, indexes above N). */
  instances: readonly string[];
  /** Instances that must stay running: `N − maxUnavailable`. */
  guarantee: number;
  /** The user's abort: a take-down still waiting at the gate is cancelled (nothing went down). */
  abort?: AbortSignal;
}

/** Parallel `/state` reads per round. */
const READ_AHEAD = 8;

export function createCapacityGate(ctx: WatchContext, opts: CapacityGateOptions): CapacityGate {
  const down = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  /** Reads younger than this are reused: the take-downs of one batch pass the gate back to back. */
  const freshMs = Math.min(250, Math.floor(ctx.settings.pollIntervalMs / 4));
  // Bookkeeping is O(1) per read and per take-down, not O(instances): a take-down whose answer the
  // fresh reads already give costs no scan (a scan per take-down was quadratic: hours for 100,000).
  // `live` = the read is still fresh (in `window`); `freshRunning` counts live reads that say
  // running, of units not taken down by this rollout.
  type Read = { at: number; running: boolean; live: boolean };
  const reads = new Map<string, Read>();
  const window: { unit: string; read: Read }[] = [];
  let head = 0;
  let freshRunning = 0;
  /** Where the next scan for unread instances starts (round robin over `opts.instances`). */
  let cursor = 0;
  const counts = (unit: string, r: Read | undefined) => r?.live === true && r.running && !down.has(unit);

  const expireStale = () => {
    const now = ctx.clock.now();
    while (head < window.length && now - window[head]!.read.at > freshMs) {
      const { unit, read } = window[head++]!;
      if (!read.live) continue;
      if (counts(unit, read)) freshRunning--;
      read.live = false;
    }
    if (head > 1_024 && head * 2 > window.length) {
      window.splice(0, head);
      head = 0;
    }
  };
  const remember = (unit: string, running: boolean) => {
    const old = reads.get(unit);
    if (old?.live) {
      if (counts(unit, old)) freshRunning--;
      old.live = false;
    }
    const read: Read = { at: ctx.clock.now(), running, live: true };
    reads.set(unit, read);
    window.push({ unit, read });
    if (counts(unit, read)) freshRunning++;
  };
  const isRunning = async (unit: string): Promise<boolean> => {
    const cached = reads.get(unit);
    if (cached?.live && ctx.clock.now() - cached.at <= freshMs) return cached.running;
    const states = await ctx.api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
    const running = states.some((s) => s.systemdLoadState === 'loaded' && s.systemdActiveState === 'active');
    remember(unit, running);
    return running;
  };

  /**
   * How many instances other than `unit` (and those taken down) run, reading unread or stale ones
   * (8 at a time, round robin) until `enough` are seen. Reads made during this count keep counting
   * even if they age past `freshMs` meanwhile (reading 100,000 units takes longer than that).
   */
  const countOthers = async (unit: string, enough: number): Promise<number> => {
    expireStale();
    const others = () => freshRunning - (counts(unit, reads.get(unit)) ? 1 : 0);
    const total = opts.instances.length;
    for (let scanned = 0; scanned < total && others() < enough; ) {
      const chunk: string[] = [];
      while (scanned < total && chunk.length < Math.min(READ_AHEAD, enough - others())) {
        const name = opts.instances[cursor]!;
        cursor = (cursor + 1) % total;
        scanned++;
        if (name !== unit && !down.has(name) && !reads.get(name)?.live) chunk.push(name);
      }
      await Promise.all(chunk.map(isRunning));
      // a scan of 100,000 instances takes a while: answer the user's abort between rounds of reads
      if (opts.abort?.aborted) throw new TakeDownCancelled(unit);
    }
    return others();
  };

  /** Up to 10 names of instances with a fresh read that says running (for "last seen"). */
  const someRunning = (unit: string): string[] => {
    const names: string[] = [];
    for (const [name, r] of reads) {
      if (names.length >= 10) break;
      if (name !== unit && counts(name, r)) names.push(name);
    }
    return names;
  };

  const admit = (unit: string) =>
    waitUntil<void>({
      clock: ctx.clock,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      intervalMs: ctx.settings.pollIntervalMs,
      unit,
      progress: ctx.progress,
      phase: 'healthy',
      waitedFor: `safe to take down (at least ${opts.guarantee} other instances running)`,
      timeoutMs: ctx.settings.timeouts.healthy,
      poll: async () => {
        if (opts.abort?.aborted) throw new TakeDownCancelled(unit);
        if (opts.guarantee <= 0) return { done: true, value: undefined };
        const running = await countOthers(unit, opts.guarantee);
        // enough others run; or this unit is not running anyway, so taking it down costs nothing
        if (running >= opts.guarantee || !(await isRunning(unit))) return { done: true, value: undefined };
        const away = [...down].sort();
        const names = someRunning(unit);
        const list =
          names.length === 0 ? 'none' : `${names.join(', ')}${running > names.length ? ', …' : ''}`;
        return {
          done: false,
          seen: `${running} other instances running (${list})${away.length ? `; taken down by this rollout: ${away.join(', ')}` : ''}`,
        };
      },
    });

  return {
    takeDown(unit) {
      const turn = queue.then(async () => {
        await admit(unit);
        if (counts(unit, reads.get(unit))) freshRunning--;
        down.add(unit);
      });
      queue = turn.catch(() => {});
      return turn;
    },
    restored(unit) {
      if (down.delete(unit) && counts(unit, reads.get(unit))) freshRunning++;
    },
  };
}

/** Is this the gate's cancellation (an abort before anything went down)? */
export function isTakeDownCancelled(error: unknown): error is TakeDownCancelled {
  return error instanceof TakeDownCancelled;
}
