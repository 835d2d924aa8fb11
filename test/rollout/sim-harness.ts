/** Shared set-up for the rollout tests: a simulator on a ManualClock, a real HTTP client, unit files. */
import {
  createFleetClient,
  type FleetApi,
  type RequestInfo,
  type UnitOption,
  unitHash,
} from '@fleet-service/fleet-client';
import {
  type FaultSpec,
  type FleetSim,
  type MachineSpec,
  ManualClock,
  startFleetSim,
} from '@fleet-service/fleet-sim';
import { type RolloutEvent, type RolloutResult, rollout } from '@fleet-service/rollout';
import { expect } from 'vitest';

export function version(v: string, extra: UnitOption[] = []): UnitOption[] {
  return [
    { section: 'Unit', name: 'Description', value: 'web %i' },
    { section: 'Service', name: 'ExecStart', value: '/usr/bin/web' },
    { section: 'Service', name: 'Environment', value: `VERSION=${v}` },
    ...extra,
  ];
}
export const V1 = version('1');
export const V2 = version('2');
export const BAD = version('bad');
export const H1 = unitHash(V1);
export const H2 = unitHash(V2);
export const HBAD = unitHash(BAD);

/** A start failure for every unit whose Environment says VERSION=bad. */
export const BAD_FAILS: FaultSpec = {
  kind: 'unit-start-fails',
  match: { option: { section: 'Service', name: 'Environment', value: 'VERSION=bad' } },
};

/** Fast engine settings (fleet time; the manual clock makes them free anyway). */
export const FAST = {
  minHealthyMs: 2_000,
  pollIntervalMs: 500,
  timeouts: { stop: 60_000, gone: 60_000, launched: 60_000, healthy: 60_000 },
  progressDeadlineMs: 300_000,
  lock: { settleMs: 200, ttlMs: 30_000 },
} as const;

export interface Harness {
  clock: ManualClock;
  sim: FleetSim;
  api: FleetApi;
  events: RolloutEvent[];
  onEvent: (e: RolloutEvent) => void;
  close(): Promise<void>;
}

export async function harness(
  opts: {
    machines?: number | MachineSpec[];
    faults?: FaultSpec[];
    seed?: number;
    serverVersion?: string;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(1_700_000_000_000, { autoAdvance: true });
  const sim = await startFleetSim({
    clock,
    machines: opts.machines ?? 3,
    seed: opts.seed ?? 1,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.serverVersion ? { serverVersion: opts.serverVersion } : {}),
  });
  const api = createFleetClient({
    endpoint: sim.endpoint,
    clock,
    retry: { limit: 4, initialDelay: 100, maxDelay: 1000, factor: 2 },
  });
  const events: RolloutEvent[] = [];
  return {
    clock,
    sim,
    api,
    events,
    onEvent: (e) => events.push(e),
    close: () => sim.close(),
  };
}

/** Another client on the harness's simulator that records every request it sends (to count them). */
export function countingClient(x: Harness): {
  api: FleetApi;
  requests: RequestInfo[];
  writes: () => RequestInfo[];
} {
  const requests: RequestInfo[] = [];
  const api = createFleetClient({
    endpoint: x.sim.endpoint,
    clock: x.clock,
    onRequest: (info) => requests.push(info),
  });
  return { api, requests, writes: () => requests.filter((r) => r.method !== 'GET') };
}

/** Indexed instances of `service` (any index). */
export const instancesOf = (service: string) => (name: string) =>
  new RegExp(`^${service}@\\d+\\.service$`).test(name);

/** Units of the service as the registry holds them: name → hash. */
export function serviceUnits(sim: FleetSim, service: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const u of sim.cluster.units())
    if (u.name.startsWith(`${service}@`) || u.name.startsWith(`${service}.`)) out[u.name] = u.hash;
  return out;
}

/** Names of running (active) instances with hash `hash`. */
export function runningWith(sim: FleetSim, service: string, hash: string): string[] {
  const units = new Map(sim.cluster.units().map((u) => [u.name, u]));
  return sim.cluster
    .unitStates()
    .filter(
      (s) =>
        instancesOf(service)(s.name ?? '') &&
        s.hash === hash &&
        s.systemdActiveState === 'active' &&
        units.get(s.name!)?.machineID === s.machineID,
    )
    .map((s) => s.name!)
    .sort();
}

/**
 * A FleetApi that "crashes" (every call from then on hangs forever, like a killed process) once
 * `crashAfterMutations` mutating calls went through. Models SIGKILL / network loss mid-rollout.
 */
export function crashingApi(
  api: FleetApi,
  crashAfterMutations: number,
): { api: FleetApi; crashed: () => boolean } {
  let mutations = 0;
  let dead = false;
  const hang = () => new Promise<never>(() => {});
  const mutating = new Set(['createUnit', 'setUnitTargetState', 'destroyUnit']);
  const proxy = new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead) return hang();
        if (mutating.has(String(prop))) {
          mutations++;
          if (mutations > crashAfterMutations) {
            dead = true;
            return hang();
          }
        }
        return value.apply(target, args);
      };
    },
  });
  return { api: proxy, crashed: () => dead };
}

/** A harness where VERSION=bad fails to start, with web@1..3 running V1. */
export async function seededWeb(): Promise<Harness> {
  const x = await harness({ faults: [BAD_FAILS] });
  await rollout({ service: 'web', unitFile: V1, count: 3, ...FAST }, { api: x.api, clock: x.clock });
  return x;
}

/** The error a rollout rejected with (it must reject), its result attached. */
export async function failing(p: Promise<RolloutResult>): Promise<Error & { result: RolloutResult }> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { result: RolloutResult };
}
