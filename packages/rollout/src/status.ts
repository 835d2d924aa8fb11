/**
 * describeService (`fs status S`) and listServices (`fs status`): read-only views. Time (whether a
 * lock has expired) comes from the injected clock.
 */
import { type Clock, type FleetApi, type JobState, systemClock } from '@fleet-service/fleet-client';
import { observeClusterState } from './cluster-observation.js';
import { NoSuchServiceError } from './errors.js';
import { parseUnitName, unitHash } from './fleet-helpers.js';
import { parseLock } from './lock.js';
import { observeCluster } from './observe.js';
import { rolledTo } from './record.js';
import { reservedUnitOwner } from './reserved-units.js';
import { isRunningPerSnapshot, type LockInfo, type RolloutRecord } from './snapshot.js';

export interface StatusOptions {
  signal?: AbortSignal;
  /** Decides whether a lock has expired. @default systemClock */
  clock?: Clock;
}

export interface InstanceStatus {
  name: string;
  /** Numeric index; absent for `S.service` and non-indexed instances. */
  index?: number;
  role: 'template' | 'instance' | 'non-instanced' | 'non-indexed';
  hash: string;
  desiredState?: JobState;
  currentState?: JobState;
  machineID?: string;
  primaryIP?: string;
  systemd?: { load?: string; active?: string; sub?: string; hash?: string };
  /** launched + active on its machine with its own hash. */
  running: boolean;
  /** A canary: the last rollout stopped with outcome `canary` and this instance runs what it tried. */
  canary?: boolean;
}

export interface ServiceStatus {
  service: string;
  units: InstanceStatus[];
  /** Distinct contents among instances (hash → count). */
  hashes: Record<string, number>;
  lock?: LockInfo & { expired: boolean };
  record?: RolloutRecord;
  /**
   * The last rollout, from the record: how it ended and the contents it took the service to — after
   * an automatic rollback, the previous contents it rolled back TO (not the failed version).
   */
  lastRollout?: { status: RolloutRecord['status']; hash: string; count: number };
  /** While a canary waits for promote (record status `canary`): the canary instances. */
  canaries?: string[];
  serverVersion?: string;
}

/**
 * One service in detail. NoSuchServiceError when it has no units of its own and no rollout holds
 * its lock (a service being created has only the lock for a moment).
 */
export async function describeService(
  api: FleetApi,
  service: string,
  opts: StatusOptions = {},
): Promise<ServiceStatus> {
  const now = (opts.clock ?? systemClock).now();
  const snap = await observeCluster(api, service, opts.signal ? { signal: opts.signal } : {});
  if (snap.units.length === 0 && !(snap.lock && snap.lock.expiry > now))
    throw new NoSuchServiceError(service);
  const ip = new Map((snap.machines ?? []).map((m) => [m.id, m.primaryIP]));
  const units: InstanceStatus[] = snap.units.map((u) => {
    const p = parseUnitName(u.name);
    const hash = unitHash(u.options ?? []);
    const s = snap.states.find((x) => x.name === u.name && x.machineID === u.machineID);
    const status: InstanceStatus = {
      name: u.name,
      role: p.isTemplate
        ? 'template'
        : !p.isInstance
          ? 'non-instanced'
          : p.index === undefined
            ? 'non-indexed'
            : 'instance',
      hash,
      running: isRunningPerSnapshot(u, hash, snap.states),
    };
    if (p.index !== undefined) status.index = p.index;
    if (u.desiredState) status.desiredState = u.desiredState;
    if (u.currentState) status.currentState = u.currentState;
    if (u.machineID) {
      status.machineID = u.machineID;
      const addr = ip.get(u.machineID);
      if (addr) status.primaryIP = addr;
    }
    if (s)
      status.systemd = {
        load: s.systemdLoadState,
        active: s.systemdActiveState,
        sub: s.systemdSubState,
        hash: s.hash,
      };
    return status;
  });
  const order = { template: 0, instance: 1, 'non-indexed': 2, 'non-instanced': 3 } as const;
  units.sort(
    (a, b) => order[a.role] - order[b.role] || (a.index ?? 0) - (b.index ?? 0) || (a.name < b.name ? -1 : 1),
  );
  const hashes: Record<string, number> = {};
  for (const u of units) if (u.role === 'instance') hashes[u.hash] = (hashes[u.hash] ?? 0) + 1;
  const out: ServiceStatus = { service, units, hashes };
  if (snap.lock) out.lock = { ...snap.lock, expired: snap.lock.expiry <= now };
  if (snap.record) {
    out.record = snap.record;
    out.lastRollout = { status: snap.record.status, ...rolledTo(snap.record) };
    const record = snap.record;
    if (record.status === 'canary') {
      const canaries = units.filter(
        (u) => u.role === 'instance' && (u.index ?? 0) > record.target.count && u.hash === record.target.hash,
      );
      for (const u of canaries) u.canary = true;
      out.canaries = canaries.map((u) => u.name);
    }
  }
  if (snap.serverVersion) out.serverVersion = snap.serverVersion;
  return out;
}

export interface ServiceSummary {
  service: string;
  hasTemplate: boolean;
  /** Instances (indexed and non-indexed). */
  instances: number;
  /** Instances per systemd active state (`active`, `failed`, …; `unknown` without a /state entry). */
  byActiveState: Record<string, number>;
  /** A rollout holds the service's lock (a lock unit whose expiry has not passed). */
  locked: boolean;
  /** The lock unit, when there is one; `expired` once anyone may take it (its holder died or hung). */
  lock?: LockInfo & { expired: boolean };
}

/** Every service (a prefix with a template or instances). Two whole-cluster reads: `/units` and `/state`. */
export async function listServices(api: FleetApi, opts: StatusOptions = {}): Promise<ServiceSummary[]> {
  const now = (opts.clock ?? systemClock).now();
  const { units, states } = await observeClusterState(api, {
    machines: false,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const stateOf = new Map(states.map((x) => [`${x.name}\u0000${x.machineID}`, x]));
  const anyStateOf = new Map<string | undefined, (typeof states)[number]>();
  for (const x of states) if (!anyStateOf.has(x.name)) anyStateOf.set(x.name, x);
  const services = new Map<string, ServiceSummary>();
  const entry = (service: string) => {
    const known = services.get(service);
    if (known) return known;
    const fresh: ServiceSummary = {
      service,
      hasTemplate: false,
      instances: 0,
      byActiveState: {},
      locked: false,
    };
    services.set(service, fresh);
    return fresh;
  };
  for (const u of units) {
    const owner = reservedUnitOwner(u.name);
    if (owner) {
      const lock = owner.kind === 'lock' ? parseLock(u) : undefined;
      if (lock) {
        const s = entry(owner.service);
        s.lock = { ...lock, expired: lock.expiry <= now };
        s.locked = !s.lock.expired;
      }
      continue;
    }
    const p = parseUnitName(u.name);
    if (p.type !== 'service' || (!p.isTemplate && !p.isInstance)) continue;
    const s = entry(p.prefix);
    if (p.isTemplate) {
      s.hasTemplate = true;
      continue;
    }
    s.instances++;
    const st = u.machineID ? stateOf.get(`${u.name}\u0000${u.machineID}`) : anyStateOf.get(u.name);
    const key = st?.systemdActiveState ?? 'unknown';
    s.byActiveState[key] = (s.byActiveState[key] ?? 0) + 1;
  }
  return [...services.values()]
    .filter((s) => s.hasTemplate || s.instances > 0)
    .sort((a, b) => (a.service < b.service ? -1 : 1));
}
