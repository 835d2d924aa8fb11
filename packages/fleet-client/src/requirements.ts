/**
 * fleet's `[X-Fleet]` scheduling requirements, read as fleet reads them (`job/job.go`,
 * `unit/unit.go`, fleet-api.md §8 and §11.4).
 */
import { parseUnitName } from './names.js';
import type { UnitOption } from './types.js';
import { isGoSpace } from './unit-file-go-lexer.js';

/** The section fleet reads requirements from. */
export const X_FLEET_SECTION = 'X-Fleet';

/** Every `[X-Fleet]` key fleet understands, legacy aliases included (`job/job.go`). */
export const X_FLEET_KEYS: readonly string[] = Object.freeze([
  'MachineID',
  'X-ConditionMachineID',
  'X-ConditionMachineBootID',
  'X-ConditionMachineOf',
  'MachineOf',
  'X-Conflicts',
  'Conflicts',
  'X-ConditionMachineMetadata',
  'MachineMetadata',
  'Global',
  'Replaces',
]);

/** A unit's scheduling requirements. */
export interface FleetRequirements {
  /** Run on every eligible machine: the last `Global=` value is truthy (`true yes 1 on t`, any case). */
  global: boolean;
  /**
   * The machine the unit is pinned to: the first value of `MachineID`, else of
   * `X-ConditionMachineID`, else of `X-ConditionMachineBootID`. `''` when given empty (fleet
   * still treats that as a pin), `undefined` when absent.
   */
  machineID: string | undefined;
  /** Units this one must share a machine with (`X-ConditionMachineOf`, then `MachineOf`; exact names). */
  machineOf: string[];
  /** Globs of units this one must not share a machine with (`X-Conflicts`, then `Conflicts`; whitespace-split). */
  conflicts: string[];
  /** Globs of units this one displaces from its machine (`Replaces`). */
  replaces: string[];
  /** Required machine metadata: key → allowed values (any one of them); all keys must hold. */
  machineMetadata: Record<string, string[]>;
}

/**
 * fleet's `parseMultivalueLine`: a value that both starts and ends with `"` is split on spaces
 * outside quotes, quotes dropped (`"a=1" "b=2"` → `a=1`, `b=2`); any other value is one value.
 */
export function parseMultivalueLine(line: string): string[] {
  if (!line.startsWith('"') || !line.endsWith('"')) return [line];
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
      continue;
    }
    if (char === ' ' && !quoted) {
      values.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  values.push(current);
  return values;
}

/**
 * fleet's `unitPrintf`: replace `%n` (full name), `%N` (name without the type suffix, not
 * unescaped), `%p` (prefix) and `%i` (instance) — in that order, every occurrence. fleet
 * expands nothing for a name without a `.`, and neither does this.
 */
export function expandSpecifiers(value: string, unitName: string): string {
  if (!unitName.includes('.')) return value;
  const info = parseUnitName(unitName);
  const withoutSuffix = unitName.slice(0, unitName.lastIndexOf('.'));
  return value
    .replaceAll('%n', unitName)
    .replaceAll('%N', withoutSuffix)
    .replaceAll('%p', info.prefix)
    .replaceAll('%i', info.instance);
}

/** fleet's `isTruthyValue`. */
export function isTruthyValue(value: string): boolean {
  const v = value.toLowerCase();
  return v === 'true' || v === 'yes' || v === '1' || v === 'on' || v === 't';
}

/** Go's strings.Fields: split on runs of Unicode white space. */
function fields(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const char of value) {
    if (isGoSpace(char)) {
      if (current !== '') out.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * The `[X-Fleet]` values per key, as fleet's `requirements()` builds them: multi-value lines
 * split, specifiers expanded when `unitName` is given. Keys are case-sensitive.
 */
export function xFleetValues(options: readonly UnitOption[], unitName?: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const option of options) {
    if (option.section !== X_FLEET_SECTION) continue;
    let list = values.get(option.name);
    if (list === undefined) {
      list = [];
      values.set(option.name, list);
    }
    for (const v of parseMultivalueLine(option.value)) {
      list.push(unitName === undefined ? v : expandSpecifiers(v, unitName));
    }
  }
  return values;
}

/**
 * Read a unit's scheduling requirements from its options the way fleet does. Pass `unitName`
 * to expand `%n %N %p %i` in `[X-Fleet]` values, as fleet does when scheduling that unit;
 * leave it out to read raw values, as fleet's create-time validation does.
 */
export function parseRequirements(options: readonly UnitOption[], unitName?: string): FleetRequirements {
  const values = xFleetValues(options, unitName);
  const get = (key: string): string[] => values.get(key) ?? [];

  const globals = get('Global');
  const last = globals[globals.length - 1];
  const machineIDKey = ['MachineID', 'X-ConditionMachineID', 'X-ConditionMachineBootID'].find(
    (key) => get(key).length > 0,
  );

  const machineMetadata: Record<string, string[]> = {};
  for (const item of [...get('X-ConditionMachineMetadata'), ...get('MachineMetadata')]) {
    const parts = item.split('=');
    if (parts.length !== 2) continue;
    const [key, value] = parts as [string, string];
    if (key === '' || value === '') continue;
    if (Object.hasOwn(machineMetadata, key)) {
      const allowed = machineMetadata[key]!;
      if (!allowed.includes(value)) allowed.push(value);
    } else {
      // defineProperty, so a key such as `__proto__` stays an ordinary key.
      Object.defineProperty(machineMetadata, key, {
        value: [value],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }

  return {
    global: last !== undefined && isTruthyValue(last),
    machineID: machineIDKey === undefined ? undefined : get(machineIDKey)[0],
    machineOf: [...get('X-ConditionMachineOf'), ...get('MachineOf')],
    conflicts: [...get('X-Conflicts'), ...get('Conflicts')].flatMap(fields),
    replaces: get('Replaces'),
    machineMetadata,
  };
}
