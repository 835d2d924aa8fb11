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
 * which pass the gate back to back, share one round of reads.
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
  const reads = new Map<string, { at: number; running: boolean }>();
  const isRunning = async (unit: string): Promise<boolean> => {
    const cached = reads.get(unit);
    if (cached && ctx.clock.now() - cached.at <= freshMs) return cached.running;
    const states = await ctx.api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
    const running = states.some((s) => s.systemdLoadState === 'loaded' && s.systemdActiveState === 'active');
    reads.set(unit, { at: ctx.clock.now(), running });
    return running;
  };

  /** Running instances other than `unit` and those taken down, reading (8 at a time) until `enough` are seen. */
  const countOthers = async (unit: string, enough: number): Promise<string[]> => {
    const candidates = opts.instances.filter((name) => name !== unit && !down.has(name));
    const seen: string[] = [];
    for (let k = 0; k < candidates.length && seen.length < enough; k += READ_AHEAD) {
      const chunk = candidates.slice(k, k + Math.min(READ_AHEAD, enough - seen.length));
      const running = await Promise.all(chunk.map(isRunning));
      chunk.forEach((name, j) => {
        if (running[j]) seen.push(name);
      });
    }
    return seen;
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
        if (running.length >= opts.guarantee || !(await isRunning(unit)))
          return { done: true, value: undefined };
        const away = [...down].sort();
        return {
          done: false,
          seen: `${running.length} other instances running (${running.join(', ') || 'none'})${away.length ? `; taken down by this rollout: ${away.join(', ')}` : ''}`,
        };
      },
    });

  return {
    takeDown(unit) {
      const turn = queue.then(async () => {
        await admit(unit);
        down.add(unit);
      });
      queue = turn.catch(() => {});
      return turn;
    },
    restored(unit) {
      down.delete(unit);
    },
  };
}

/** Is this the gate's cancellation (an abort before anything went down)? */
export function isTakeDownCancelled(error: unknown): error is TakeDownCancelled {
  return error instanceof TakeDownCancelled;
}
