import type { UnitOption } from '@fleet-service/fleet-client';
import { pathMatch } from '@fleet-service/fleet-client';
import { SimOptionsError } from '../errors.js';
import type { SimRandom } from '../random.js';
import type { ApiFaultSpec, FaultSpec, UnitMatch } from './fault-spec.js';

/** How a unit behaves when started on a simulated systemd. */
export interface StartBehaviour {
  /** Extra `activating/start` time (slow start), model ms. */
  extraStartMs: number;
  /** The start itself fails: `failed/failed` instead of `active/running`. */
  failsAtOnce: boolean;
  /** Fails (or, flapping, restarts) after running this long, model ms. */
  failsAfterMs: number | undefined;
  flapping: boolean;
  /** The main process exits at once with success: `inactive/dead`, or `active/exited` with RemainAfterExit. */
  exits: 'dead' | 'exited' | undefined;
}

/** An API fault picked for one request. */
export type PickedApiFault = ApiFaultSpec & { id: string };

interface Stored {
  id: string;
  spec: FaultSpec;
  remaining: number;
}

const PREFIXES = /^[-@+!:]+/;
const TRUTHY = new Set(['1', 'yes', 'true', 'on', 't', 'y']);

/** Faults active in the simulator, added up front or at run time. */
export class FaultStore {
  readonly #faults: Stored[] = [];
  readonly #random: SimRandom;
  #next = 1;

  constructor(random: SimRandom) {
    this.#random = random;
  }

  add(spec: FaultSpec): string {
    validateFault(spec);
    const id = `fault-${this.#next++}`;
    const count = 'count' in spec && spec.count !== undefined ? spec.count : Number.POSITIVE_INFINITY;
    this.#faults.push({ id, spec, remaining: count });
    return id;
  }

  remove(id: string): boolean {
    const i = this.#faults.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.#faults.splice(i, 1);
    return true;
  }

  clear(): void {
    this.#faults.length = 0;
  }

  list(): { id: string; spec: FaultSpec }[] {
    return this.#faults.map(({ id, spec }) => ({ id, spec }));
  }

  /** What a start of this unit does: faults first, then systemd's own verdict on ExecStart. */
  startBehaviour(name: string, options: readonly UnitOption[]): StartBehaviour {
    const b: StartBehaviour = {
      extraStartMs: 0,
      failsAtOnce: false,
      failsAfterMs: undefined,
      flapping: false,
      exits: undefined,
    };
    const exec = firstExecStart(options);
    if (exec === '/bin/false' || exec === '/usr/bin/false') b.failsAtOnce = true;
    if (exec === '/bin/true' || exec === '/usr/bin/true') {
      const rae = options.filter((o) => o.section === 'Service' && o.name === 'RemainAfterExit').at(-1);
      b.exits = rae && TRUTHY.has(rae.value.toLowerCase()) ? 'exited' : 'dead';
    }
    for (const { spec } of this.#faults) {
      if (spec.kind === 'unit-slow-start' && unitMatches(spec.match, name, options))
        b.extraStartMs += spec.delayMs;
      if (spec.kind === 'unit-start-fails' && unitMatches(spec.match, name, options)) {
        const after = spec.after ?? 0;
        if (spec.flapping) {
          b.flapping = true;
          b.failsAfterMs = after;
        } else if (after <= 0) b.failsAtOnce = true;
        else b.failsAfterMs = after;
        b.exits = undefined;
      }
    }
    return b;
  }

  /** The first API fault whose route matches and whose dice roll hits; consumes one of its count. */
  pickApiFault(method: string, path: string): PickedApiFault | undefined {
    for (let i = 0; i < this.#faults.length; i++) {
      const f = this.#faults[i]!;
      const spec = f.spec;
      if (!spec.kind.startsWith('api-')) continue;
      const api = spec as ApiFaultSpec;
      if (api.route !== undefined && !routeMatches(api.route, method, path)) continue;
      if (api.probability !== undefined && this.#random.next() >= api.probability) continue;
      f.remaining--;
      if (f.remaining <= 0) this.#faults.splice(i, 1);
      return { ...api, id: f.id };
    }
    return undefined;
  }
}

function firstExecStart(options: readonly UnitOption[]): string | undefined {
  const exec = options.find((o) => o.section === 'Service' && o.name === 'ExecStart');
  return exec?.value.trim().replace(PREFIXES, '').split(/\s+/)[0];
}

/** Every given criterion must hold: the name glob and an option whose value matches the glob. */
export function unitMatches(match: UnitMatch, name: string, options: readonly UnitOption[]): boolean {
  if (match.name !== undefined && !pathMatch(match.name, name)) return false;
  const want = match.option;
  if (want) {
    return options.some(
      (o) =>
        o.name === want.name &&
        (want.section === undefined || o.section === want.section) &&
        pathMatch(want.value, o.value),
    );
  }
  return true;
}

const PREFIX = /^\/(?:fleet\/v1|v1-alpha)(?=\/|$)/;

/** `METHOD /path` glob, tried on the full path and on the path without the API prefix. */
export function routeMatches(route: string, method: string, path: string): boolean {
  if (route === '*' || route === '') return true;
  const [routeMethod, routePath] = route.split(' ', 2);
  if (routePath === '*') return routeMethod === method;
  const short = path.replace(PREFIX, '') || '/';
  if (!route.includes(' ')) return pathMatch(route, path) || pathMatch(route, short);
  return pathMatch(route, `${method} ${path}`) || pathMatch(route, `${method} ${short}`);
}

function validateFault(spec: FaultSpec): void {
  const where = `faults[${spec.kind}]`;
  if (
    'probability' in spec &&
    spec.probability !== undefined &&
    !(spec.probability >= 0 && spec.probability <= 1)
  ) {
    throw new SimOptionsError(where, `probability must be in [0, 1], got ${spec.probability}`);
  }
  if ('count' in spec && spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) {
    throw new SimOptionsError(where, `count must be a positive integer, got ${spec.count}`);
  }
  if (
    spec.kind === 'api-error' &&
    !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
  ) {
    throw new SimOptionsError(where, `status must be an HTTP error status, got ${spec.status}`);
  }
  if ((spec.kind === 'unit-start-fails' || spec.kind === 'unit-slow-start') && !spec.match) {
    throw new SimOptionsError(where, 'match is required');
  }
}
