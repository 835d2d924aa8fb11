/**
 * Unit names: one parser (fleet's `unit.NewUnitNameInfo`) and fleet's exact name validation
 * (`api/units.go` `ValidateName`, fleet-api.md §7.1).
 */
import { goQuoteRune, goQuoteString } from './go-quote.js';

/** A unit name taken apart, as fleet's `NewUnitNameInfo` does it (no validation). */
export interface UnitNameInfo {
  /** The full name, e.g. `web@3.service`. */
  name: string;
  /** Text before the first `@` of the part before the last `.`, e.g. `web`. */
  prefix: string;
  /** Everything after the first `@` (up to the last `.`), e.g. `3`; `''` if none. */
  instance: string;
  /** The suffix after the last `.`, e.g. `service`; `''` when the name has no `.`. */
  type: string;
  /** `prefix@.type`, e.g. `web@.service`; `''` when the name has no `@`. */
  template: string;
  /** Has an `@` and an empty instance (`web@.service`). */
  isTemplate: boolean;
  /** Has a non-empty instance (`web@3.service`). */
  isInstance: boolean;
  /** The instance when it is a canonical positive decimal integer (`3`, not `03`, `0`, `-1`, `1e3`). */
  index: number | undefined;
}

/** Maximum unit name length in bytes (systemd's, enforced by fleet). */
export const UNIT_NAME_MAX_BYTES = 256;

/** Unit types fleet accepts (`api/units.go` `validUnitTypes`). */
export const UNIT_TYPES: readonly string[] = Object.freeze([
  'automount',
  'busname',
  'device',
  'mount',
  'path',
  'scope',
  'service',
  'slice',
  'snapshot',
  'socket',
  'swap',
  'target',
  'timer',
]);

/** Unit types fleet accepts for names containing `@` (templates and instances; fleet v1.0+). */
export const TEMPLATE_UNIT_TYPES: readonly string[] = Object.freeze([
  'path',
  'service',
  'socket',
  'target',
  'timer',
]);

const VALID_NAME_CHARS = /^[A-Za-z0-9:_.@\\-]$/;
const CANONICAL_INDEX = /^[1-9][0-9]*$/;

/** Parse a unit name into its parts like fleet's `NewUnitNameInfo`. Never throws; does not validate. */
export function parseUnitName(name: string): UnitNameInfo {
  const dot = name.lastIndexOf('.');
  const base = dot === -1 ? name : name.slice(0, dot);
  const type = dot === -1 ? '' : name.slice(dot + 1);
  const at = base.indexOf('@');
  if (at === -1) {
    return {
      name,
      prefix: base,
      instance: '',
      type,
      template: '',
      isTemplate: false,
      isInstance: false,
      index: undefined,
    };
  }
  const prefix = base.slice(0, at);
  const instance = base.slice(at + 1);
  const suffix = dot === -1 ? '' : `.${type}`;
  let index: number | undefined;
  if (CANONICAL_INDEX.test(instance)) {
    const n = Number(instance);
    if (Number.isSafeInteger(n)) index = n;
  }
  return {
    name,
    prefix,
    instance,
    type,
    template: `${prefix}@${suffix}`,
    isTemplate: instance === '',
    isInstance: instance !== '',
    index,
  };
}

/**
 * fleet's name validation: the exact message of the first failing check, in fleet's order
 * (fleet-api.md §7.1), or `undefined` for a valid name.
 */
export function validateUnitName(name: string): string | undefined {
  if (name.length === 0) return 'unit name cannot be empty';
  if (Buffer.byteLength(name, 'utf8') > UNIT_NAME_MAX_BYTES) {
    return `unit name exceeds maximum length (${UNIT_NAME_MAX_BYTES})`;
  }
  const dot = name.lastIndexOf('.');
  if (dot === -1) return 'unit name must contain "."';
  if (dot === name.length - 1) return 'unit name cannot end in "."';
  const suffix = name.slice(dot + 1);
  if (!UNIT_TYPES.includes(suffix)) return `invalid unit type: ${goQuoteString(suffix)}`;
  if (name.includes('@') && !TEMPLATE_UNIT_TYPES.includes(suffix)) {
    return `invalid unit type for template: ${goQuoteString(suffix)}`;
  }
  for (const char of name.slice(0, dot)) {
    if (!VALID_NAME_CHARS.test(char)) return `invalid character ${goQuoteRune(char)} in unit name`;
  }
  if (name.startsWith('@')) return 'unit name cannot start in "@"';
  return undefined;
}

/** `true` when fleet would accept `name` as a unit name. */
export function isValidUnitName(name: string): boolean {
  return validateUnitName(name) === undefined;
}

/** The instance name `prefix@instance.type`, e.g. `instanceName('web', 3)` → `web@3.service`. */
export function instanceName(prefix: string, instance: string | number, type = 'service'): string {
  return `${prefix}@${instance}.${type}`;
}

/** The template name `prefix@.type`, e.g. `templateName('web')` → `web@.service`. */
export function templateName(prefix: string, type = 'service'): string {
  return `${prefix}@.${type}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A total order on unit names that sorts numbered instances numerically: by prefix, then
 * instances with an index (by index: `web@2` before `web@10`) before the other names, then by
 * full name. Use as `names.sort(compareUnitNames)`.
 */
export function compareUnitNames(a: string, b: string): number {
  const x = parseUnitName(a);
  const y = parseUnitName(b);
  const byPrefix = compareStrings(x.prefix, y.prefix);
  if (byPrefix !== 0) return byPrefix;
  if (x.index !== undefined && y.index !== undefined) {
    if (x.index !== y.index) return x.index - y.index;
  } else if (x.index !== undefined) {
    return -1;
  } else if (y.index !== undefined) {
    return 1;
  }
  return compareStrings(a, b);
}

/**
 * Check a service name `S` as fs uses it: `S.service`, `S@.service` and `S@1.service` must all
 * be valid unit names, and `S` must be non-empty without `@`. Returns a message naming the
 * service and the failing check, or `undefined` when usable.
 */
export function validateServiceName(service: string): string | undefined {
  if (service.length === 0) return 'service name cannot be empty';
  if (service.includes('@')) return `invalid service name ${goQuoteString(service)}: cannot contain "@"`;
  for (const unit of [`${service}.service`, templateName(service), instanceName(service, 1)]) {
    const problem = validateUnitName(unit);
    if (problem !== undefined) {
      return `invalid service name ${goQuoteString(service)}: unit name ${goQuoteString(unit)} is invalid: ${problem}`;
    }
  }
  return undefined;
}
