/**
 * Fixtures and constants of fleet-api.md §12 ("Conventions"), shared by the raw-HTTP and the
 * client conformance suites.
 */
import type { UnitOption } from '@fleet-service/fleet-client';

/** Base path of every §12 request. */
export const BASE = '/fleet/v1';

/** `J`: the one request header fleet checks (only on `PUT /units/{name}`). */
export const J: readonly [string, string] = ['Content-Type', 'application/json'];

/** `O`: the option list of §12's conventions. */
export const O: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];

/** A long-running unit body for cases where the unit must stay active. */
export const SLEEP: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 1000' }];

/** The fleetd version every response names in `Server:` (sim default `serverVersion`). */
export const SERVER_HEADER = 'fleetd/v1.0.0';

/**
 * §12.18's machines: XXX without IP or metadata, YYY with 1.2.3.4 and ping=pong. fleet-sim gives
 * a machine without `primaryIP` a default address (127.0.8.x), so "no IP" is spelled `''`.
 */
export const MACHINES_XXX_YYY = [
  { id: 'XXX', primaryIP: '' },
  { id: 'YYY', primaryIP: '1.2.3.4', metadata: { ping: 'pong' } },
] as const;

/** §12.18's body, byte for byte (api/machines_test.go). */
export const MACHINES_XXX_YYY_BODY =
  '{"machines":[{"id":"XXX"},{"id":"YYY","metadata":{"ping":"pong"},"primaryIP":"1.2.3.4"}]}';

/** 32-hex machine ids for cluster cases, like the real cluster of fleet-observed/multi.md. */
export const M1 = '11111111111111111111111111111111';
export const M2 = '22222222222222222222222222222222';
export const M3 = '33333333333333333333333333333333';
export const M4 = '44444444444444444444444444444444';

/** Machines for cluster cases: each carries `machine=mN` metadata so a case can target one. */
export function clusterMachines(
  count: number,
): { id: string; primaryIP: string; metadata: Record<string, string> }[] {
  return [M1, M2, M3, M4].slice(0, count).map((id, i) => ({
    id,
    primaryIP: `10.0.0.${i + 1}`,
    metadata: { machine: `m${i + 1}` },
  }));
}

/**
 * §12.23: `schema/v1.json` of coreos/fleet v1.0.0 (the discovery document served by GET
 * /discovery, 6792 bytes, pretty-printed with a trailing newline; fleet-observed/errors.md shows
 * its first lines and size). The suite compares the served body's SHA-1 and length with these
 * rather than keeping a copy of fleet's file.
 */
export const DISCOVERY_SHA1 = '1c11f4f9696be193b36027650ef3e86d7bf49f49';
export const DISCOVERY_BYTES = 6792;

/** §11.3 / §12.61: `[Service]\nExecStart=/bin/sleep 100\n`. */
export const HASH_SLEEP_100 = '1c6fb6f3684bafb0c173d8b8b957ceff031180c1';

/** The error entity fleet sends, byte for byte (§2.7). */
export function errorBody(code: number, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** A unit as GET returns it, byte for byte: keys in fleet's order, omitempty (§1.2). */
export function unitBody(unit: {
  name: string;
  options?: UnitOption[];
  desiredState?: string;
  currentState?: string;
  machineID?: string;
}): string {
  const out: Record<string, unknown> = {};
  if (unit.currentState) out.currentState = unit.currentState;
  if (unit.desiredState) out.desiredState = unit.desiredState;
  if (unit.machineID) out.machineID = unit.machineID;
  out.name = unit.name;
  if (unit.options && unit.options.length > 0) {
    out.options = unit.options.map((o) => {
      const opt: Record<string, string> = {};
      if (o.name) opt.name = o.name;
      if (o.section) opt.section = o.section;
      if (o.value) opt.value = o.value;
      return opt;
    });
  }
  return JSON.stringify(out);
}

/** §7.1 good names from fleet's TestValidateName. */
export const GOOD_NAMES = [
  'foo.service',
  'hello.mount',
  'foo@123.service',
  'foo@.service',
  'yo.yo.service',
  'hello@world.path',
  'hello:world.service',
  'yes@no\\.service',
  'foo-bar.mount',
  'jalapano_chips.service',
  ...['path', 'service', 'socket', 'target', 'timer'].map((t) => `foo@1.${t}`),
];

/** §7.1 bad names with the message of the first rule each breaks (rule order 2–8). */
export const BAD_NAMES: [string, string][] = [
  [`${'a'.repeat(250)}.service`, 'unit name exceeds maximum length (256)'],
  ['fooservice', 'unit name must contain "."'],
  ['barmount', 'unit name must contain "."'],
  ['bar@foo', 'unit name must contain "."'],
  ['foo.', 'unit name cannot end in "."'],
  ['foo.service.', 'unit name cannot end in "."'],
  ['foo@foo.service.', 'unit name cannot end in "."'],
  ['foo.bar', 'invalid unit type: "bar"'],
  ['hello.cerveza', 'invalid unit type: "cerveza"'],
  ['foo.servICE', 'invalid unit type: "servICE"'],
  ['foo%.service', "invalid character '%' in unit name"],
  ['foo$asd.service', "invalid character '$' in unit name"],
  ['hello##.mount', "invalid character '#' in unit name"],
  ['this+that.mount', "invalid character '+' in unit name"],
  ['dog=woof@.mount', 'invalid unit type for template: "mount"'],
  ['@foo.service', 'unit name cannot start in "@"'],
  ['@this.mount', 'invalid unit type for template: "mount"'],
  ...['automount', 'busname', 'device', 'mount', 'scope', 'slice', 'snapshot', 'swap'].map(
    (t): [string, string] => [`foo@1.${t}`, `invalid unit type for template: "${t}"`],
  ),
];
