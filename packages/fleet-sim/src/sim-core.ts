import type { Clock, UnitOption } from '@fleet-service/fleet-client';
import { normalizeUnitOptions, parseUnitName, unitHash } from '@fleet-service/fleet-client';
import { Agent } from './agent/agent.js';
import { SimTimers, type TimerHandle } from './clock/timers.js';
import { Engine } from './engine/engine.js';
import { requirementsOf } from './engine/requirements.js';
import { SimOptionsError, SimUnknownMachineError } from './errors.js';
import { FaultStore } from './faults/fault-store.js';
import { ClusterState, type MachineRecord } from './model/cluster-state.js';
import { optionsJson } from './model/wire-json.js';
import { SimTimeline } from './observe/timeline.js';
import type { MachineSpec, ResolvedSimOptions } from './options.js';
import { SimRandom } from './random.js';

/** Graceful fleetd stop: its states leave /state after this (fleet ms; fleet-observed/multi.md). */
const GRACEFUL_STATES_GONE = 1000;
/** Graceful fleetd stop: its machine leaves /machines after this. */
const GRACEFUL_PRESENCE_GONE = 1100;
/** A starting agent's first reconcile: at once, so it never shortcuts the delays of later triggers. */
const AT_ONCE = { min: 0, max: 0 };

/**
 * The simulated cluster without its HTTP face: registry, engine, agents, faults and timeline, all on
 * one clock. The HTTP handlers and the public SimCluster both drive it.
 */
export class SimCore {
  readonly clock: Clock;
  readonly options: ResolvedSimOptions;
  readonly timers: SimTimers;
  readonly random: SimRandom;
  readonly timeline: SimTimeline;
  readonly cluster: ClusterState;
  readonly faults: FaultStore;
  readonly engine: Engine;
  readonly agents = new Map<string, Agent>();
  /** Clock time when the simulator started (`machine-dies` faults count from here). */
  readonly startedAt: number;
  readonly #machineGone = new Map<string, TimerHandle>();
  readonly #idRandom: SimRandom;

  constructor(options: ResolvedSimOptions, clock: Clock) {
    this.clock = clock;
    this.startedAt = clock.now();
    this.options = options;
    this.timers = new SimTimers(clock, options.speed);
    this.random = new SimRandom(options.seed);
    this.#idRandom = new SimRandom(options.seed ^ 0x5eed);
    this.timeline = new SimTimeline(() => clock.now());
    this.cluster = new ClusterState(
      () => clock.now(),
      (e) => this.timeline.record(e),
    );
    this.faults = new FaultStore(new SimRandom(options.seed ^ 0xfa17));
    this.engine = new Engine({
      cluster: this.cluster,
      timers: this.timers,
      random: this.random,
      delay: () => this.options.timings.engineReconcile,
      globalsOn: (id) => this.agents.get(id)?.globals() ?? [],
      onTargetChanged: (_name, from, to) => {
        if (from) this.agents.get(from)?.kick(this.options.timings.agentSchedule);
        if (to) this.agents.get(to)?.kick(this.options.timings.agentSchedule);
      },
    });
    for (const spec of options.machines) this.addMachine(spec);
  }

  /** Clock time in fleet (model) milliseconds. */
  modelNow(): number {
    return this.clock.now() * this.options.speed;
  }

  // --- machines

  addMachine(spec: MachineSpec = {}): MachineRecord {
    const index = this.cluster.machines.size;
    const id = spec.id ?? this.#idRandom.hex(32);
    if (this.cluster.machines.has(id)) throw new SimOptionsError('machines', `duplicate machine id ${id}`);
    const record: MachineRecord = {
      id,
      primaryIP: spec.primaryIP ?? `127.0.8.${101 + index}`,
      configMetadata: new Map(Object.entries(spec.metadata ?? {})),
      alive: true,
      registered: true,
    };
    this.cluster.machines.set(id, record);
    const agent = new Agent(id, {
      cluster: this.cluster,
      timers: this.timers,
      random: this.random,
      timings: this.options.timings,
      faults: this.faults,
      modelNow: () => this.modelNow(),
      onWiped: (name, machines) => {
        for (const m of machines) this.agents.get(m)?.refreshLater(name);
      },
    });
    this.agents.set(id, agent);
    this.cluster.emitMachine(id, 'alive');
    this.engine.kick();
    agent.kick(AT_ONCE); // fleetd's agent reconciles as it starts (global units); later work waits for triggers
    return record;
  }

  #machine(operation: string, id: string): MachineRecord {
    const m = this.cluster.machines.get(id);
    if (!m) throw new SimUnknownMachineError(operation, id);
    return m;
  }

  /**
   * The host dies: its agent stops, its presence key expires after machineTtl, its keys after
   * stateTtl. `graceful` models fleetd shutting down cleanly instead (fleet-observed/multi.md):
   * heartbeats cleared at once, states gone after ~1 s, presence after ~1.1 s.
   */
  killMachine(id: string, options: { graceful?: boolean } = {}): void {
    const machine = this.#machine('kill machine', id);
    if (!machine.alive) return;
    const agent = this.agents.get(id)!;
    machine.alive = false;
    agent.kill();
    this.cluster.emitMachine(id, 'dead');
    const deadEpoch = agent.epoch - 1;
    if (options.graceful) {
      for (const u of this.cluster.units.values())
        if (u.heartbeat === id) this.cluster.setHeartbeat(u.name, undefined);
      this.timers.after(GRACEFUL_STATES_GONE, () => this.#expireDeadKeys(id, deadEpoch));
    }
    this.#machineGone.set(
      id,
      this.timers.after(options.graceful ? GRACEFUL_PRESENCE_GONE : this.options.timings.machineTtl, () => {
        this.#machineGone.delete(id);
        if (machine.alive) return;
        machine.registered = false;
        this.cluster.emitMachine(id, 'gone');
        this.engine.kick();
      }),
    );
    if (!options.graceful) {
      this.timers.after(this.random.between(this.options.timings.stateTtl), () =>
        this.#expireDeadKeys(id, deadEpoch),
      );
    }
  }

  /** A dead incarnation's /state entries and heartbeats expire (its agent may have come back since). */
  #expireDeadKeys(id: string, deadEpoch: number): void {
    const agent = this.agents.get(id)!;
    for (const s of this.cluster.statesPublishedBy(id)) {
      if (s.epoch <= deadEpoch) this.cluster.expireState(s.name, id);
    }
    for (const u of this.cluster.units.values()) {
      if (u.heartbeat === id && !agent.isLaunched(u.name)) this.cluster.setHeartbeat(u.name, undefined);
    }
  }

  /** The host comes back with an empty systemd and registers at once. */
  reviveMachine(id: string): void {
    const machine = this.#machine('revive machine', id);
    if (machine.alive) return;
    this.#machineGone.get(id)?.cancel();
    this.#machineGone.delete(id);
    machine.alive = true;
    machine.registered = true;
    const agent = this.agents.get(id)!;
    agent.revive();
    this.cluster.emitMachine(id, 'alive');
    this.engine.kick();
    agent.kick(AT_ONCE);
  }

  // --- units (called by the HTTP handlers after fleet's checks)

  /** Create or replace contents (201 path); the schedule is kept. */
  writeUnit(name: string, options: UnitOption[], desiredState: string): void {
    const normalized = normalizeUnitOptions(options);
    const wasGlobal = this.cluster.globals.has(name);
    this.cluster.putUnit({
      name,
      options: normalized,
      optionsJson: optionsJson(normalized),
      hash: unitHash(normalized),
      desiredState,
      reqs: requirementsOf(normalized, name),
      isTemplate: parseUnitName(name).isTemplate,
    });
    this.#afterUnitChange(name, wasGlobal);
  }

  /** The update path (204): only the target state. */
  writeDesiredState(name: string, desiredState: string): void {
    this.cluster.setDesiredState(name, desiredState);
    this.#afterUnitChange(name, this.cluster.globals.has(name));
  }

  destroyUnit(name: string): boolean {
    const unit = this.cluster.units.get(name);
    if (!unit) return false;
    const target = unit.target;
    const global = unit.reqs.global;
    this.cluster.deleteUnit(name);
    this.engine.kick();
    const range = this.options.timings.agentDestroy;
    if (global) for (const a of this.agents.values()) a.kick(range);
    else if (target) this.agents.get(target)?.kick(range);
    return true;
  }

  #afterUnitChange(name: string, wasGlobal: boolean): void {
    this.engine.kick();
    const unit = this.cluster.units.get(name);
    const { agentReconcile, agentSchedule } = this.options.timings;
    // An inactive target unloads like an unschedule does; loaded ⇄ launched and new contents act sooner.
    const range = unit?.desiredState === 'inactive' ? agentSchedule : agentReconcile;
    if (wasGlobal || unit?.reqs.global) for (const a of this.agents.values()) a.kick(range);
    if (unit?.target) this.agents.get(unit.target)?.kick(range);
  }

  /** PATCH /machines after validation: set ('' masks) metadata keys, then re-evaluate placement. */
  setMetadata(machineID: string, key: string, value: string): void {
    this.cluster.setDynamicMetadata(machineID, key, value);
    this.engine.kick();
    this.agents.get(machineID)?.kick(this.options.timings.agentReconcile);
  }

  close(): void {
    this.engine.close();
    for (const a of this.agents.values()) a.close();
    this.timers.close();
  }
}
