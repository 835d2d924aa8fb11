/**
 * The capacity gate. The plan's batches are sized so that capacity holds *if* everything the plan
 * counted on is still running; the gate checks that it is. Before the engine takes a running
 * instance down (recreate's destroy, in-place's PUT of new contents, a forced restart's stop, the
 * destroy of a spare or of an index above N) it counts the service's instances that are ACTUALLY
 * running, from reads at most one poll interval old, and waits until taking the unit down still
 * leaves `N − maxUnavailable` running. Instances the engine itself took down count as down until
 * their step confirmed them running again (fleet's `/state` lags systemd by up to a second, so it
 * would still show them). A unit that is not running anyway is taken down at once: that costs no
 * capacity.
 *
 * The reads come from one shared view of the service's states (service-state-view.ts): the waits
 * feed it, and it is refreshed at most once per poll interval for all the take-downs in it, by the
 * cheapest of per-unit reads, per-machine pages or the listing — so the requests per take-down do
 * not grow with N. Take-downs are serialised (the steps of one batch run together), so two steps
 * never count the same spare capacity twice.
 *
 * Limits: a `/state` entry left by a machine that just died still reads as active until fleet's
 * TTL expires it (~17 s), and an instance that passed its stability window may still fail later;
 * the gate cannot see either coming.
 */
import type { UnitState } from '@fleet-service/fleet-client';
import { type RefreshWay, ServiceStateView } from './service-state-view.js';
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
  /** A wait read `unit`'s `/state` entries: the gate's view takes them without a request. */
  seen(unit: string, states: readonly UnitState[]): void;
  /** `/state` requests the gate made, by way of reading (see service-state-view.ts). */
  readonly requests: Readonly<Record<RefreshWay, number>>;
}

export interface CapacityGateOptions {
  /** Every instance of the service the plan knows (indexes 1..N, spares, indexes above N). */
  instances: readonly string[];
  /** Instances that must stay running: `N − maxUnavailable`. */
  guarantee: number;
  /** The user's abort: a take-down still waiting at the gate is cancelled (nothing went down). */
  abort?: AbortSignal;
  /** The machine each instance was on when planned, where known (prices per-machine reads). */
  machines?: ReadonlyMap<string, string>;
  /** `/state` entries or units in the cluster when observed (prices the listing). @default unknown */
  clusterStates?: number;
}

export function createCapacityGate(ctx: WatchContext, opts: CapacityGateOptions): CapacityGate {
  const view = new ServiceStateView(ctx, {
    instances: opts.instances,
    ...(opts.machines ? { machines: opts.machines } : {}),
    ...(opts.clusterStates !== undefined ? { clusterStates: opts.clusterStates } : {}),
  });
  let queue: Promise<unknown> = Promise.resolve();
  const aborted = () => opts.abort?.aborted === true;

  /**
   * Another instance this rollout took down on the machine `unit` runs on now (read fresh: after a
   * machine died, fleet may have moved instances, so the plan's machines are no longer where they
   * run); `undefined` when there is none.
   */
  const downOnSameMachine = async (unit: string): Promise<string | undefined> => {
    const states = await ctx.api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
    view.seen(unit, states);
    const machine = view.machineOf(unit);
    if (!machine) return undefined;
    return [...view.down].find((other) => other !== unit && view.machineOf(other) === machine);
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
        if (aborted()) throw new TakeDownCancelled(unit);
        // machine-aware: never a second instance of one machine down, wherever fleet moved them
        const sibling = ctx.settings.machineAware ? await downOnSameMachine(unit) : undefined;
        if (sibling) return { done: false, seen: `${sibling} on the same machine is down (machine-aware)` };
        if (opts.guarantee <= 0) return { done: true, value: undefined };
        const running = await view.fill(unit, opts.guarantee, aborted);
        // a scan of 100,000 instances takes a while: answer the user's abort between rounds of reads
        if (aborted()) throw new TakeDownCancelled(unit);
        // enough others run; or this unit is not running anyway, so taking it down costs nothing
        if (running >= opts.guarantee || !(await view.isRunning(unit)))
          return { done: true, value: undefined };
        const away = [...view.down].sort();
        const names = view.someRunning(unit);
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
        view.markDown(unit);
      });
      queue = turn.catch(() => {});
      return turn;
    },
    restored(unit) {
      view.markUp(unit);
    },
    seen(unit, states) {
      view.seen(unit, states);
    },
    requests: view.requests,
  };
}

/** Is this the gate's cancellation (an abort before anything went down)? */
export function isTakeDownCancelled(error: unknown): error is TakeDownCancelled {
  return error instanceof TakeDownCancelled;
}
