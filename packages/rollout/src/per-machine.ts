/**
 * Global units, machine by machine (pure). fleet runs a `Global=true` unit on every machine and
 * replacing it restarts all of them at once, so with `perMachine` the planner turns it into one
 * instance per machine instead: `S@i` pinned with `MachineID=<id>` (fleet-api.md §7: MachineID
 * excludes Global, so `Global` is dropped, never sent beside it). The machines are the live ones
 * whose metadata satisfies the unit's `MachineMetadata` (where fleet would run the global unit),
 * sorted by id. An instance already pinned to a live machine keeps its index ("later runs keep the
 * pinned form"); the other indexes 1..N get the remaining machines in order; an index pinned to a
 * machine that is gone is re-pinned (replaced) or, above N, removed.
 */
import type { Machine, Unit, UnitOption } from '@fleet-service/fleet-client';
import { normalizeUnitOptions, parseRequirements, unitHash } from './fleet-helpers.js';
import type { ServiceView } from './snapshot.js';
import { isGlobalUnitFile } from './validate-spec.js';

/** The unit file without `Global=` (the template's contents: instances add their MachineID). */
export function perMachineBase(unitFile: readonly UnitOption[]): UnitOption[] {
  return normalizeUnitOptions(unitFile.filter((o) => !(o.section === 'X-Fleet' && o.name === 'Global')));
}

/** The instance's contents: the base pinned to `machineID`. */
export function pinnedOptions(base: readonly UnitOption[], machineID: string): UnitOption[] {
  return normalizeUnitOptions([...base, { section: 'X-Fleet', name: 'MachineID', value: machineID }]);
}

/** The machine a unit's options pin it to, if any. */
export function pinOf(options: readonly UnitOption[] | undefined): string | undefined {
  return options?.findLast((o) => o.section === 'X-Fleet' && o.name === 'MachineID')?.value;
}

/** Live machines a global unit with `base`'s requirements would run on, by id. */
export function eligibleMachines(base: readonly UnitOption[], machines: readonly Machine[]): Machine[] {
  const wanted = Object.entries(parseRequirements(base).machineMetadata);
  return machines
    .filter((m) => m.id && wanted.every(([k, vs]) => vs.includes(m.metadata?.[k] ?? '\u0000')))
    .sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0));
}

export interface Pin {
  machineID: string;
  options: UnitOption[];
  hash: string;
}

/** Index → machine for indexes 1..N (N = eligible machines), keeping live pins. */
export function assignPins(
  base: readonly UnitOption[],
  view: ServiceView,
  units: readonly Unit[],
  machines: readonly Machine[],
): Map<number, Pin> {
  const eligible = eligibleMachines(base, machines).map((m) => m.id!);
  const N = eligible.length;
  const optionsOf = new Map(units.map((u) => [u.name, u.options]));
  const byIndex = new Map<number, string>();
  const taken = new Set<string>();
  for (const inst of view.instances) {
    if (inst.index > N) continue;
    const pin = pinOf(optionsOf.get(inst.name));
    if (pin && eligible.includes(pin) && !taken.has(pin)) {
      byIndex.set(inst.index, pin);
      taken.add(pin);
    }
  }
  const free = eligible.filter((id) => !taken.has(id));
  for (let index = 1; index <= N; index++) if (!byIndex.has(index)) byIndex.set(index, free.shift()!);
  const pins = new Map<number, Pin>();
  for (const [index, machineID] of byIndex) {
    const options = pinnedOptions(base, machineID);
    pins.set(index, { machineID, options, hash: unitHash(options) });
  }
  return pins;
}

/**
 * A `Global=true` unit file for a service already rolled per machine (its instances are pinned
 * with `MachineID=`) keeps the pinned form: `perMachine` is implied. `spec` unchanged otherwise.
 */
export function keepPerMachine<S extends { unitFile: UnitOption[]; perMachine?: boolean }>(
  spec: S,
  snapshot: { service: string; units: readonly Unit[] },
): S {
  if (spec.perMachine !== undefined || !isGlobalUnitFile(spec.unitFile)) return spec;
  return isPinnedService(snapshot) ? { ...spec, perMachine: true } : spec;
}

/** Are the service's indexed instances pinned with `MachineID=` (rolled per machine)? */
export function isPinnedService(snapshot: { service: string; units: readonly Unit[] }): boolean {
  return snapshot.units.some(
    (u) =>
      u.name.startsWith(`${snapshot.service}@`) &&
      /@\d+\.service$/.test(u.name) &&
      pinOf(u.options) !== undefined,
  );
}
