import type { Clock, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { systemClock } from '@fleet-service/fleet-client';
import { SimClosedError, SimWaitTimeoutError } from './errors.js';
import type { FaultSpec } from './faults/fault-spec.js';
import { SimServer } from './http/server.js';
import { isPoisoned } from './model/cluster-state.js';
import type { Timeline } from './observe/timeline.js';
import type { RequestLogEntry } from './observe/types.js';
import { type FleetSimOptions, type MachineSpec, resolveSimOptions } from './options.js';
import { SimCore } from './sim-core.js';

/** A machine of the simulated cluster. */
export interface SimMachine {
  id: string;
  primaryIP: string;
  /** Effective metadata (config merged with PATCHed keys). */
  metadata: Record<string, string>;
  /** The host is up. */
  alive: boolean;
  /** Listed by `GET /machines` (a dead machine stays listed until its TTL runs out). */
  registered: boolean;
}

/** A unit as the registry holds it, for tests. */
export interface SimUnitView {
  name: string;
  options: UnitOption[];
  /** The stored target state (may be invalid after §13.1 poisoning). */
  desiredState: string;
  /** Derived as §9.2 (absent for global units, as GET omits it). */
  currentState?: string;
  machineID?: string;
  hash: string;
  global: boolean;
}

/** The running cluster: inspection, machines, faults and observability. */
export interface SimCluster {
  readonly clock: Clock;
  machines(): SimMachine[];
  addMachine(spec?: MachineSpec): SimMachine;
  /** Kill a machine (crash: noticed after the TTL), or stop it gracefully (`{graceful: true}`: ~1 s). */
  killMachine(id: string, options?: { graceful?: boolean }): void;
  reviveMachine(id: string): void;
  units(): SimUnitView[];
  unitStates(): UnitState[];
  addFault(fault: FaultSpec): string;
  removeFault(id: string): void;
  clearFaults(): void;
  readonly requests: readonly RequestLogEntry[];
  counters(): { requests: number; byRoute: Record<string, number>; mutations: number };
  readonly timeline: Timeline;
  /** Wait on the sim's clock until `pred` holds (checked after every change and every 50 ms of clock time). */
  waitFor(pred: () => boolean, opts?: { timeoutMs?: number }): Promise<void>;
}

/** A started simulator. */
export interface FleetSim {
  /** `http://127.0.0.1:PORT` or `unix:///path/fleet.sock`: usable as the client's endpoint. */
  readonly endpoint: string;
  readonly cluster: SimCluster;
  /** Stop timers, close the server and its sockets, remove the socket file. */
  close(): Promise<void>;
}

class Cluster implements SimCluster {
  readonly #core: SimCore;
  readonly #server: SimServer;
  #closed = false;

  constructor(core: SimCore, server: SimServer) {
    this.#core = core;
    this.#server = server;
  }

  get clock(): Clock {
    return this.#core.clock;
  }

  machines(): SimMachine[] {
    const { cluster } = this.#core;
    return [...cluster.machines.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((m) => ({
        id: m.id,
        primaryIP: m.primaryIP,
        metadata: Object.fromEntries(cluster.effectiveMetadata(m.id)),
        alive: m.alive,
        registered: m.registered,
      }));
  }

  addMachine(spec?: MachineSpec): SimMachine {
    this.#open('add a machine');
    const m = this.#core.addMachine(spec);
    return this.machines().find((x) => x.id === m.id)!;
  }

  killMachine(id: string, options?: { graceful?: boolean }): void {
    this.#open('kill a machine');
    this.#core.killMachine(id, options);
  }

  reviveMachine(id: string): void {
    this.#open('revive a machine');
    this.#core.reviveMachine(id);
  }

  units(): SimUnitView[] {
    const { cluster } = this.#core;
    return cluster.sortedUnits().map((u) => {
      const view: SimUnitView = {
        name: u.name,
        options: u.options.map((o) => ({ ...o })),
        desiredState: u.desiredState,
        hash: u.hash,
        global: u.reqs.global,
      };
      if (!u.reqs.global && !isPoisoned(u)) view.currentState = cluster.currentState(u);
      if (u.target) view.machineID = u.target;
      return view;
    });
  }

  unitStates(): UnitState[] {
    return this.#core.cluster.sortedStates().map((s) => ({
      name: s.name,
      hash: s.hash,
      machineID: s.machineID,
      systemdLoadState: s.load,
      systemdActiveState: s.active,
      systemdSubState: s.sub,
    }));
  }

  addFault(fault: FaultSpec): string {
    this.#open('add a fault');
    const id = this.#core.faults.add(fault);
    if (fault.kind === 'machine-dies') this.#scheduleDeath(fault);
    return id;
  }

  #scheduleDeath(fault: Extract<FaultSpec, { kind: 'machine-dies' }>): void {
    const core = this.#core;
    // atMs is a clock time; a value before the simulator's start counts from the start instead.
    const at = fault.atMs >= core.startedAt ? fault.atMs : core.startedAt + fault.atMs;
    const delayClockMs = Math.max(0, at - core.clock.now());
    core.timers.after(delayClockMs * core.options.speed, () => {
      const victim = fault.machineID ?? core.cluster.registeredMachines().find((m) => m.alive)?.id;
      if (victim && core.cluster.machines.has(victim)) core.killMachine(victim);
    });
  }

  removeFault(id: string): void {
    this.#core.faults.remove(id);
  }

  clearFaults(): void {
    this.#core.faults.clear();
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#server.log.entries;
  }

  counters(): { requests: number; byRoute: Record<string, number>; mutations: number } {
    return this.#server.log.counters();
  }

  get timeline(): Timeline {
    return this.#core.timeline;
  }

  async waitFor(pred: () => boolean, opts: { timeoutMs?: number } = {}): Promise<void> {
    const clock = this.#core.clock;
    const deadline = clock.now() + (opts.timeoutMs ?? 60_000);
    while (!pred()) {
      if (this.#closed) throw new SimClosedError('wait');
      if (clock.now() >= deadline) throw new SimWaitTimeoutError(opts.timeoutMs ?? 60_000);
      await clock.sleep(Math.min(50, Math.max(1, deadline - clock.now())));
    }
  }

  #open(operation: string): void {
    if (this.#closed) throw new SimClosedError(operation);
  }

  markClosed(): void {
    this.#closed = true;
  }
}

/**
 * Start a simulated fleet v1.0 cluster and its HTTP API. Prints nothing; `close()` leaves no timers,
 * sockets or socket files behind.
 */
export async function startFleetSim(options: FleetSimOptions = {}): Promise<FleetSim> {
  const resolved = resolveSimOptions(options);
  const core = new SimCore(resolved, resolved.clock ?? systemClock);
  let server: SimServer;
  try {
    server = await SimServer.listen(core);
  } catch (error) {
    core.close();
    throw error;
  }
  const cluster = new Cluster(core, server);
  for (const fault of resolved.faults) cluster.addFault(fault);
  let closing: Promise<void> | undefined;
  return {
    endpoint: server.endpoint,
    cluster,
    close() {
      closing ??= (async () => {
        cluster.markClosed();
        core.close();
        await server.close();
      })();
      return closing;
    },
  };
}
