import type { SimTimers, TimerHandle } from '../clock/timers.js';
import { type ClusterState, isPoisoned, type UnitRecord } from '../model/cluster-state.js';
import { byteCompare } from '../model/wire-json.js';
import type { Range, SimRandom } from '../random.js';
import { MachineView } from './machine-view.js';

/** What the engine needs from the rest of the simulator. */
export interface EngineDeps {
  cluster: ClusterState;
  timers: SimTimers;
  random: SimRandom;
  delay: () => Range;
  /** Global units the agent on this machine is running (they count for Conflicts). */
  globalsOn: (machineID: string) => Iterable<string>;
  /** A unit's target changed: the agents on both machines react. */
  onTargetChanged: (name: string, from: string | undefined, to: string | undefined) => void;
}

/** Passes of the scheduling loop before giving up for this reconcile (Replaces chains). */
const MAX_PASSES = 8;

/**
 * fleet's engine: on every reconcile, unschedule units whose target state is inactive, whose machine
 * went away or no longer qualifies; then schedule the rest least-loaded (ties by machine id) on the
 * first machine that is able to run them. Unschedulable units stay inactive until a later reconcile
 * finds room. Reconciles run a jittered delay after any change (fleet: watch events + 2 s loop).
 */
export class Engine {
  readonly #deps: EngineDeps;
  #pending: TimerHandle | undefined;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  /** Schedule a reconcile soon (debounced: one pending reconcile at a time). */
  kick(): void {
    if (this.#pending) return;
    const delay = this.#deps.random.between(this.#deps.delay());
    this.#pending = this.#deps.timers.after(delay, () => {
      this.#pending = undefined;
      this.reconcile();
    });
  }

  reconcile(): void {
    const { cluster } = this.#deps;
    const views = new Map<string, MachineView>();
    for (const m of cluster.registeredMachines())
      views.set(m.id, new MachineView(m.id, cluster.effectiveMetadata(m.id)));
    for (const [id, view] of views) {
      for (const g of this.#deps.globalsOn(id)) {
        const u = cluster.units.get(g);
        if (u) view.add(u, true);
      }
    }
    const units: UnitRecord[] = [];
    for (const u of cluster.sortedUnits()) {
      if (isPoisoned(u)) continue;
      if (!u.reqs.global) units.push(u);
      else if (u.target) this.#setTarget(u, undefined); // replaced by a global unit: agents decide now
    }
    for (const u of units) if (u.target) views.get(u.target)?.add(u);

    for (let changed = true; changed; ) {
      changed = false;
      for (const u of units) {
        if (!u.target) continue;
        const view = views.get(u.target);
        if (u.desiredState === 'inactive' || !view || !view.ableToRun(u)) {
          view?.remove(u.name);
          this.#setTarget(u, undefined);
          changed = true;
        }
      }
    }

    for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
      changed = false;
      for (const u of units) {
        if (u.target || u.desiredState === 'inactive') continue;
        const view = this.#decide(u, views);
        if (!view) continue;
        view.add(u);
        this.#setTarget(u, view.id);
        changed = true;
      }
    }
  }

  #decide(u: UnitRecord, views: Map<string, MachineView>): MachineView | undefined {
    if (u.reqs.replaces.length > 0) {
      for (const view of views.values()) {
        const victims = view.replaceable(u);
        if (victims.length === 0 || !view.ableToRun(u, new Set(victims))) continue;
        for (const name of victims) {
          view.remove(name);
          const victim = this.#deps.cluster.units.get(name);
          if (victim) this.#setTarget(victim, undefined);
        }
        return view;
      }
    }
    const candidates = [...views.values()].sort((a, b) => a.load - b.load || byteCompare(a.id, b.id));
    return candidates.find((view) => view.ableToRun(u));
  }

  #setTarget(u: UnitRecord, to: string | undefined): void {
    const from = u.target;
    this.#deps.cluster.setTarget(u.name, to);
    this.#deps.onTargetChanged(u.name, from, to);
  }

  close(): void {
    this.#pending?.cancel();
    this.#pending = undefined;
  }
}
