import type { UnitOption } from '@fleet-service/fleet-client';
import { parseRequirements, pathMatch } from '@fleet-service/fleet-client';

/** A unit's [X-Fleet] requirements with `%n %N %p %i` expanded (from fleet-client's parseRequirements). */
export interface UnitRequirements {
  global: boolean;
  machineID: string | undefined;
  machineOf: readonly string[];
  conflicts: readonly string[];
  replaces: readonly string[];
  machineMetadata: Readonly<Record<string, readonly string[]>>;
}

/** Parse once per contents change; the engine and agents reuse it on every reconcile. */
export function requirementsOf(options: readonly UnitOption[], unitName: string): UnitRequirements {
  const r = parseRequirements([...options], unitName);
  return {
    global: r.global,
    machineID: r.machineID,
    machineOf: r.machineOf,
    conflicts: r.conflicts,
    replaces: r.replaces,
    machineMetadata: r.machineMetadata,
  };
}

/** `machine.MatchID`: the full id or its 8-character short form. */
export function matchesMachineID(machineID: string, wanted: string): boolean {
  return machineID === wanted || machineID.slice(0, 8) === wanted;
}

/** `machine.HasMetadata`: same key = OR of values, different keys = AND. */
export function hasMetadata(
  metadata: ReadonlyMap<string, string>,
  wanted: Readonly<Record<string, readonly string[]>>,
): boolean {
  for (const [key, values] of Object.entries(wanted)) {
    const have = metadata.get(key);
    if (have === undefined || !values.includes(have)) return false;
  }
  return true;
}

/** Does any of `patterns` (Go path.Match globs) match `name`? */
export function anyMatch(patterns: readonly string[], name: string): boolean {
  for (const p of patterns) if (pathMatch(p, name)) return true;
  return false;
}
