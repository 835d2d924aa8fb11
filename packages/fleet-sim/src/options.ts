import type { Clock } from '@fleet-service/fleet-client';
import { SimOptionsError } from './errors.js';
import type { FaultSpec } from './faults/fault-spec.js';
import type { Range } from './random.js';

/** A machine of the simulated cluster. */
export interface MachineSpec {
  /** 32 hex digits (`/etc/machine-id`). @default derived from the seed */
  id?: string;
  /**
   * Published `public_ip`. The default is a loopback address (127.0.0.0/8), so health checks that
   * target a simulated machine's IP reach this host and never another network.
   * @default `127.0.8.<101 + index>`
   */
  primaryIP?: string;
  /** Configured metadata (fleet.conf `metadata=`). @default {} */
  metadata?: Record<string, string>;
}

/**
 * Modelled delays in milliseconds of fleet time (divided by `speed`), measured on a real fleetd v1.0
 * (fleet-api.md §9.3, shared/fleet-observed). Ranges are jittered uniformly from the seed.
 */
export interface SimTimings {
  /** Change (PUT, DELETE, machine gone, metadata) → engine reconcile (schedule/unschedule). @default {min: 100, max: 1500} */
  engineReconcile: Range;
  /** desiredState change (loaded ⇄ launched) or new contents of a scheduled unit → the agent on its machine stops, starts or restarts it. @default {min: 1000, max: 1200} */
  agentReconcile: Range;
  /**
   * The engine (un)scheduled a unit on this machine, or its desiredState became inactive → the agent
   * loads and starts it, or stops and unloads it (fleet: watch event, 1 s watch sleep, agent reconcile).
   * With the engine's delay and the publish lag this gives PUT launched → launched and active
   * in 2.7–5.1 s and desiredState inactive → gone from /state in 2–5 s (fleet-observed).
   * @default {min: 2590, max: 2590}
   */
  agentSchedule: Range;
  /** DELETE → the agent notices and stops/unloads (its periodic reconcile; gone from /state after ~5 s as observed). @default {min: 3800, max: 4000} */
  agentDestroy: Range;
  /**
   * systemd `activating/start` → `active/running`. A `Type=simple` start takes milliseconds and fleet polls
   * systemd once a second, so /state almost never shows `activating` (fleet-observed never does); an
   * in-place restart still leaves the timeline a short dip. `unit-slow-start` adds to it. @default 10
   */
  unitStart: number;
  /** systemd `deactivating/stop-sigterm` → `inactive/dead` (milliseconds, so /state almost never shows it). @default 10 */
  unitStop: number;
  /** How often systemd state is polled and published to /state (the lag is 0..this). @default 1000 */
  statePoll: number;
  /** Machine presence TTL: a killed machine leaves /machines after this. @default 15000 */
  machineTtl: number;
  /**
   * TTL left on a crashed machine's /state entries and heartbeats. fleet-observed/multi.md: its units stay
   * `launched` until the engine unschedules them (machineTtl + engine delay ≤ 16.5 s) and its states are
   * gone right after. @default {min: 16600, max: 17500}
   */
  stateTtl: Range;
  /** Republish of a machine's states after another machine's RemoveUnitState wiped them (§9.2). @default {min: 1000, max: 24000} */
  stateRefresh: Range;
  /** How long a flapping unit stays down (`activating/auto-restart`) before running again. @default 1000 */
  flapDown: number;
}

export const DEFAULT_TIMINGS: SimTimings = Object.freeze({
  engineReconcile: { min: 100, max: 1500 },
  agentReconcile: { min: 1000, max: 1200 },
  agentSchedule: { min: 2590, max: 2590 },
  agentDestroy: { min: 3800, max: 4000 },
  unitStart: 10,
  unitStop: 10,
  statePoll: 1000,
  machineTtl: 15000,
  stateTtl: { min: 16600, max: 17500 },
  stateRefresh: { min: 1000, max: 24000 },
  flapDown: 1000,
});

/** Options of `startFleetSim`. */
export interface FleetSimOptions {
  /** Machine count, or the machines themselves. @default 3 */
  machines?: number | MachineSpec[];
  /** Where the API listens: TCP (port 0 picks a free port) or a unix socket. @default {host: '127.0.0.1', port: 0} */
  listen?: { host?: string; port?: number } | { socketPath: string };
  /** The time source; pass a ManualClock for deterministic tests. @default systemClock */
  clock?: Clock;
  /** Time scale: 10 runs ten times faster than real fleet. @default 1 */
  speed?: number;
  /** Seed of the jitter and of the generated machine ids. @default 1 */
  seed?: number;
  /** fleetd's `token_limit` (page size). @default 100 */
  tokenLimit?: number;
  /** The version in the `Server: fleetd/<v>` header. @default 'v1.0.0' (what fleet's own build script stamps: `git describe` → `Server: fleetd/v1.0.0`, as real fleetd v1.0.0 sends) */
  serverVersion?: string;
  /** Reproduce fleet's two server bugs (§4.6 panic, §13.1 poisoning) or answer as intended. @default 'faithful' */
  bugs?: 'faithful' | 'intended';
  /** Faults active from the start. @default [] */
  faults?: FaultSpec[];
  /** Overrides of the modelled delays. @default DEFAULT_TIMINGS */
  timings?: Partial<SimTimings>;
}

/** Options after defaults and validation. */
export interface ResolvedSimOptions {
  machines: MachineSpec[];
  listen: { host: string; port: number } | { socketPath: string };
  clock?: Clock;
  speed: number;
  seed: number;
  tokenLimit: number;
  serverVersion: string;
  bugs: 'faithful' | 'intended';
  faults: FaultSpec[];
  timings: SimTimings;
}

/** Apply defaults and validate once, up front. */
export function resolveSimOptions(options: FleetSimOptions = {}): ResolvedSimOptions {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new SimOptionsError('speed', `must be a positive number, got ${speed}`);
  const tokenLimit = options.tokenLimit ?? 100;
  if (!Number.isInteger(tokenLimit) || tokenLimit < 1 || tokenLimit > 65535) {
    throw new SimOptionsError('tokenLimit', `must be an integer in 1..65535, got ${tokenLimit}`);
  }
  const machines =
    typeof options.machines === 'number' || options.machines === undefined
      ? Array.from({ length: options.machines ?? 3 }, () => ({}))
      : options.machines;
  if (!Number.isInteger(machines.length) || machines.length < 0) {
    throw new SimOptionsError('machines', 'must be a non-negative integer or an array of MachineSpec');
  }
  const bugs = options.bugs ?? 'faithful';
  if (bugs !== 'faithful' && bugs !== 'intended') {
    throw new SimOptionsError('bugs', `must be 'faithful' or 'intended', got ${String(bugs)}`);
  }
  const listen = options.listen ?? {};
  const timings: SimTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  for (const [key, value] of Object.entries(timings) as [string, number | Range][]) {
    const ok =
      typeof value === 'number'
        ? Number.isFinite(value) && value >= 0
        : Number.isFinite(value.min) &&
          Number.isFinite(value.max) &&
          value.min >= 0 &&
          value.min <= value.max;
    if (!ok)
      throw new SimOptionsError(
        `timings.${key}`,
        'must be a non-negative number or a {min, max} range with min <= max',
      );
  }
  if (timings.statePoll <= 0) throw new SimOptionsError('timings.statePoll', 'must be positive');
  return {
    machines,
    listen:
      'socketPath' in listen
        ? { socketPath: listen.socketPath }
        : { host: listen.host ?? '127.0.0.1', port: listen.port ?? 0 },
    ...(options.clock ? { clock: options.clock } : {}),
    speed,
    seed: options.seed ?? 1,
    tokenLimit,
    serverVersion: options.serverVersion ?? 'v1.0.0',
    bugs,
    faults: options.faults ?? [],
    timings,
  };
}
