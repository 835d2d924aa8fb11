/**
 * Versioned services (deployster's blue-green deploys): version V of service S runs as its own
 * units, template `S-V@.service` and instances `S-V@1..N.service`, each carrying a marker section
 *
 *   [X-Fs-Version]  Service=S  Version=V
 *
 * (systemd ignores `X-` sections). A unit is one of S's versions only when its name AND its marker
 * say so: `S-worker@1.service` of another deployer, or any unit without the marker, is left alone
 * (deployster panicked on units it did not manage). The marker also travels in the rollout
 * record's previous contents, so a rollback knows which version it restores.
 */
import type { Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import type { ClusterObservation } from './cluster-observation.js';
import { normalizeUnitOptions, parseUnitName, unitHash } from './fleet-helpers.js';
import { parseRecord } from './record.js';
import { recordUnitName } from './reserved-units.js';
import { type InstanceView, indexStates, isRunningPerSnapshot, type RolloutRecord } from './snapshot.js';

/** The marker section of a versioned unit. */
export const VERSION_SECTION = 'X-Fs-Version';

/** A version name: what deployster's image tags were (git SHAs, `1.4.2`, `v2_rc`). */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._]{0,63}$/;

/** The fleet "service" name of version V of S: `S-V` (units `S-V@.service`, `S-V@1.service`). */
export const versionedName = (service: string, version: string) => `${service}-${version}`;

/** The unit file of version V: the given options with the marker section (replacing any marker). */
export function withVersionMarker(
  options: readonly UnitOption[],
  service: string,
  version: string,
): UnitOption[] {
  return normalizeUnitOptions([
    ...options.filter((o) => o.section !== VERSION_SECTION),
    { section: VERSION_SECTION, name: 'Service', value: service },
    { section: VERSION_SECTION, name: 'Version', value: version },
  ]);
}

/** The marker of a unit file: which service and version it belongs to, if any. */
export function versionMarker(
  options: readonly UnitOption[] | undefined,
): { service: string; version: string } | undefined {
  const get = (name: string) =>
    options?.findLast((o) => o.section === VERSION_SECTION && o.name === name)?.value;
  const service = get('Service');
  const version = get('Version');
  return service && version ? { service, version } : undefined;
}

/** Everything the versioned planner needs about one service (read by observeVersions). */
export interface VersionSnapshot {
  service: string;
  /** The versioned units of the service (marker and name agree); nothing else. */
  units: Unit[];
  /** `/state` entries of those units. */
  states: UnitState[];
  record?: RolloutRecord;
  serverVersion?: string;
}

/** One version of a service as the planner sees it. */
export interface VersionView {
  version: string;
  /** `S-V@.service`, when present. */
  template?: { name: string; hash: string };
  /** Contents of the version (the template's, else an instance's). */
  options: UnitOption[];
  hash: string;
  /** Indexed instances, ascending. */
  instances: InstanceView[];
  /** Instances running their contents now. */
  running: number;
}

/** Is `unit` one of `service`'s versioned units? Returns its version. */
export function versionOfUnit(service: string, unit: Unit): string | undefined {
  const marker = versionMarker(unit.options);
  if (!marker || marker.service !== service) return undefined;
  const parts = parseUnitName(unit.name);
  if (parts.type !== 'service' || parts.prefix !== versionedName(service, marker.version)) return undefined;
  if (!parts.isTemplate && parts.index === undefined) return undefined;
  return marker.version;
}

/** Sort a snapshot's units into versions, ascending by version name. */
export function viewVersions(snapshot: VersionSnapshot): VersionView[] {
  const states = indexStates(snapshot.states);
  const byVersion = new Map<string, VersionView>();
  for (const unit of snapshot.units) {
    const version = versionOfUnit(snapshot.service, unit);
    if (version === undefined) continue;
    const hash = unitHash(unit.options ?? []);
    let view = byVersion.get(version);
    if (!view) {
      view = { version, options: unit.options ?? [], hash, instances: [], running: 0 };
      byVersion.set(version, view);
    }
    const parts = parseUnitName(unit.name);
    if (parts.isTemplate) {
      view.template = { name: unit.name, hash };
      view.options = unit.options ?? [];
      view.hash = hash;
      continue;
    }
    const running = isRunningPerSnapshot(unit, hash, states);
    if (running) view.running += 1;
    view.instances.push({
      name: unit.name,
      index: parts.index!,
      hash,
      desiredState: unit.desiredState,
      machineID: unit.machineID,
      running,
    });
  }
  const views = [...byVersion.values()];
  for (const v of views) v.instances.sort((a, b) => a.index - b.index);
  return views.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/**
 * The version serving now, besides `except`: the one with the most running instances (ties: the
 * most instances, then the last recorded target). `undefined` when no other version exists.
 */
export function servingVersion(
  views: readonly VersionView[],
  except: string,
  record?: RolloutRecord,
): VersionView | undefined {
  const others = views.filter((v) => v.version !== except);
  return [...others].sort(
    (a, b) =>
      b.running - a.running ||
      b.instances.length - a.instances.length ||
      Number(b.hash === record?.target.hash) - Number(a.hash === record?.target.hash),
  )[0];
}

/** The service's versions from one whole-cluster observation (as `snapshotOf` is for a service). */
export function versionSnapshotOf(observation: ClusterObservation, service: string): VersionSnapshot {
  const units = observation.units.filter((u) => versionOfUnit(service, u) !== undefined);
  const names = new Set(units.map((u) => u.name));
  const snapshot: VersionSnapshot = {
    service,
    units,
    states: observation.states.filter((s) => names.has(s.name ?? '')),
  };
  const record = parseRecord(observation.units.find((u) => u.name === recordUnitName(service)));
  if (record) snapshot.record = record;
  if (observation.serverVersion !== undefined) snapshot.serverVersion = observation.serverVersion;
  return snapshot;
}
