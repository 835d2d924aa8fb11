import type { UnitOption } from '@fleet-service/fleet-client';
import { parseUnitName } from '@fleet-service/fleet-client';
import type { SimTimers, TimerHandle } from '../clock/timers.js';
import { MachineView } from '../engine/machine-view.js';
import type { FaultStore, StartBehaviour } from '../faults/fault-store.js';
import { type ClusterState, isPoisoned, type UnitRecord } from '../model/cluster-state.js';
import { byteCompare } from '../model/wire-json.js';
import type { SimTimings } from '../options.js';
import type { Range, SimRandom } from '../random.js';
import { StatePublisher } from './state-publisher.js';

/** A unit as the agent's systemd has it. */
interface LocalUnit {
  readonly name: string;
  hash: string;
  options: readonly UnitOption[];
  global: boolean;
  load: string;
  active: string;
  sub: string;
  /** The agent started it and heartbeats it. */
  launched: boolean;
  /** Stopping before removal from systemd. */
  unloading: boolean;
  /** The pending systemd transition (start finishing, failure, flap, stop finishing). */
  timer: TimerHandle | undefined;
}

/** What an agent needs from the rest of the simulator. */
export interface AgentDeps {
  cluster: ClusterState;
  timers: SimTimers;
  random: SimRandom;
  timings: SimTimings;
  faults: FaultStore;
  /** Clock time in model milliseconds (clock ms × speed), for the systemd poll grid. */
  modelNow: () => number;
  /** This agent's nil publish wiped these other machines' states for `name` (RemoveUnitState). */
  onWiped: (name: string, machines: string[]) => void;
}

const ACTIVE_STATES = new Set(['active', 'activating', 'reloading', 'deactivating']);

/**
 * fleetd's agent on one machine plus the machine's systemd: loads, starts, stops and unloads units
 * to match the registry, writes the launched heartbeat just before starting, and publishes systemd
 * states to /state on a 1 s poll grid (nil publish = RemoveUnitState for every machine, §9.2).
 */
export class Agent {
  readonly machineID: string;
  alive = true;
  /** Incremented when the machine dies; states of a dead incarnation expire by TTL. */
  epoch = 0;
  readonly #deps: AgentDeps;
  readonly #local = new Map<string, LocalUnit>();
  readonly #publisher: StatePublisher;
  #pass: { handle: TimerHandle; due: number } | undefined;

  constructor(machineID: string, deps: AgentDeps) {
    this.machineID = machineID;
    this.#deps = deps;
    this.#publisher = new StatePublisher(
      machineID,
      deps,
      (name) => this.#local.get(name),
      () => this.epoch,
    );
  }

  /** Global units loaded here (they count for the engine's Conflicts checks). */
  *globals(): Iterable<string> {
    for (const l of this.#local.values()) if (l.global && !l.unloading) yield l.name;
  }

  /** Is `name` launched (heartbeated) by this agent right now? */
  isLaunched(name: string): boolean {
    return this.#local.get(name)?.launched ?? false;
  }

  /** Local units, for tests and the cluster view. */
  localUnits(): {
    name: string;
    hash: string;
    load: string;
    active: string;
    sub: string;
    launched: boolean;
  }[] {
    return [...this.#local.values()].map(({ name, hash, load, active, sub, launched }) => ({
      name,
      hash,
      load,
      active,
      sub,
      launched,
    }));
  }

  /** Reconcile after a jittered delay; an earlier pending reconcile is kept. */
  kick(range: Range): void {
    if (!this.alive) return;
    const delay = this.#deps.random.between(range);
    const due = this.#deps.modelNow() + delay;
    if (this.#pass && this.#pass.due <= due) return;
    this.#pass?.handle.cancel();
    this.#pass = {
      due,
      handle: this.#deps.timers.after(delay, () => {
        this.#pass = undefined;
        this.reconcile();
      }),
    };
  }

  /** One agent reconcile: make systemd match what the registry wants on this machine. */
  reconcile(): void {
    if (!this.alive) return;
    const { cluster } = this.#deps;
    const desired = new Map<string, { unit: UnitRecord; launched: boolean }>();
    const view = new MachineView(this.machineID, cluster.effectiveMetadata(this.machineID));
    for (const name of cluster.unitsOn(this.machineID)) {
      const u = cluster.units.get(name);
      if (!u || isPoisoned(u) || u.desiredState === 'inactive') continue;
      desired.set(name, { unit: u, launched: u.desiredState === 'launched' });
      view.add(u);
    }
    for (const name of [...cluster.globals].sort(byteCompare)) {
      const u = cluster.units.get(name);
      if (!u || isPoisoned(u) || u.desiredState === 'inactive' || !view.ableToRun(u)) continue;
      view.add(u, true);
      desired.set(name, { unit: u, launched: u.desiredState === 'launched' });
    }
    for (const local of [...this.#local.values()]) if (!desired.has(local.name)) this.#unload(local);
    for (const name of [...desired.keys()].sort(byteCompare)) {
      const { unit, launched } = desired.get(name)!;
      let local = this.#local.get(name);
      if (local?.unloading) {
        this.#cancel(local);
        local.unloading = false;
        this.#setSystemd(local, 'loaded', 'inactive', 'dead');
      }
      if (!local) {
        local = this.#load(unit);
        if (launched) this.#start(local);
      } else if (local.hash !== unit.hash) {
        local.hash = unit.hash;
        local.options = unit.options;
        local.global = unit.reqs.global;
        this.#cancel(local);
        if (launched) this.#start(local);
        else {
          this.#stopHeartbeat(local);
          this.#setSystemd(local, 'loaded', 'inactive', 'dead');
        }
      } else if (launched && !local.launched) this.#start(local);
      else if (!launched && local.launched) this.#stop(local);
      else if (launched && !local.global && unit.heartbeat !== this.machineID) {
        cluster.setHeartbeat(name, this.machineID); // heartbeatJobs: refreshed for every unit the agent runs
      }
    }
  }

  #load(unit: UnitRecord): LocalUnit {
    const local: LocalUnit = {
      name: unit.name,
      hash: unit.hash,
      options: unit.options,
      global: unit.reqs.global,
      load: '',
      active: '',
      sub: '',
      launched: false,
      unloading: false,
      timer: undefined,
    };
    this.#local.set(unit.name, local);
    this.#setSystemd(local, 'loaded', 'inactive', 'dead');
    return local;
  }

  #start(local: LocalUnit): void {
    const { timings, faults, cluster } = this.#deps;
    if (!local.global) cluster.setHeartbeat(local.name, this.machineID);
    local.launched = true;
    const b = faults.startBehaviour(local.name, local.options);
    if (parseUnitName(local.name).isTemplate) {
      // systemd cannot start a bare template (`foo@.service`): it stays inactive/dead (fleet-observed/errors.md).
      b.failsAtOnce = false;
      b.failsAfterMs = undefined;
      b.exits = 'dead';
    }
    this.#setSystemd(local, 'loaded', 'activating', 'start');
    this.#after(local, timings.unitStart + b.extraStartMs, () => {
      if (b.failsAtOnce) this.#setSystemd(local, 'loaded', 'failed', 'failed');
      else if (b.exits === 'dead') this.#setSystemd(local, 'loaded', 'inactive', 'dead');
      else if (b.exits === 'exited') this.#setSystemd(local, 'loaded', 'active', 'exited');
      else {
        this.#setSystemd(local, 'loaded', 'active', 'running');
        this.#scheduleFailure(local, b);
      }
    });
  }

  #scheduleFailure(local: LocalUnit, b: StartBehaviour): void {
    if (b.failsAfterMs === undefined) return;
    this.#after(local, b.failsAfterMs, () => {
      if (!b.flapping) {
        this.#setSystemd(local, 'loaded', 'failed', 'failed');
        return;
      }
      this.#setSystemd(local, 'loaded', 'activating', 'auto-restart');
      this.#after(local, this.#deps.timings.flapDown, () => {
        this.#setSystemd(local, 'loaded', 'active', 'running');
        this.#scheduleFailure(local, b);
      });
    });
  }

  #stopHeartbeat(local: LocalUnit): void {
    if (!local.global) this.#deps.cluster.clearHeartbeat(local.name, this.machineID);
    local.launched = false;
  }

  /** Stop (heartbeat cleared first, systemd stops asynchronously). */
  #stop(local: LocalUnit, then?: () => void): void {
    this.#stopHeartbeat(local);
    this.#cancel(local);
    if (!ACTIVE_STATES.has(local.active)) {
      then?.();
      return;
    }
    this.#setSystemd(local, 'loaded', 'deactivating', 'stop-sigterm');
    this.#after(local, this.#deps.timings.unitStop, () => {
      this.#setSystemd(local, 'loaded', 'inactive', 'dead');
      then?.();
    });
  }

  #unload(local: LocalUnit): void {
    if (local.unloading) return;
    local.unloading = true;
    this.#stop(local, () => {
      this.#local.delete(local.name);
      this.#deps.cluster.emitSystemd(local.name, this.machineID, '-', undefined);
      this.#publisher.markDirty(local.name);
    });
  }

  #after(local: LocalUnit, modelMs: number, fn: () => void): void {
    local.timer?.cancel();
    local.timer = this.#deps.timers.after(modelMs, () => {
      local.timer = undefined;
      fn();
    });
  }

  #cancel(local: LocalUnit): void {
    local.timer?.cancel();
    local.timer = undefined;
  }

  #setSystemd(local: LocalUnit, load: string, active: string, sub: string): void {
    if (local.load === load && local.active === active && local.sub === sub) return;
    local.load = load;
    local.active = active;
    local.sub = sub;
    this.#deps.cluster.emitSystemd(local.name, this.machineID, `${load}/${active}/${sub}`, local.hash);
    this.#publisher.markDirty(local.name);
  }

  /** Another machine's RemoveUnitState wiped our state for `name`: republish it later. */
  refreshLater(name: string): void {
    if (this.alive) this.#publisher.refreshLater(name);
  }

  /** The host dies: processes gone, nothing more published; registry keys expire by TTL. */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    this.epoch++;
    this.#pass?.handle.cancel();
    this.#pass = undefined;
    this.#publisher.reset();
    for (const local of this.#local.values()) {
      this.#cancel(local);
      this.#deps.cluster.emitSystemd(local.name, this.machineID, '-', undefined);
    }
    this.#local.clear();
  }

  /** The host boots again with an empty systemd. */
  revive(): void {
    this.alive = true;
  }

  close(): void {
    this.kill();
  }
}
