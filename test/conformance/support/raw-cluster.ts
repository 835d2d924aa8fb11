/**
 * Reading a sim's cluster over raw HTTP for the cluster cases (§12.59–76): every page of /units
 * and /state, and the "active units" view fleet's functional tests use (`WaitForNActiveUnits`:
 * /state entries whose systemdActiveState is active).
 */
import type { Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { expect } from 'vitest';
import { BASE } from './reference.js';
import type { WireTarget } from './wire-sim.js';

async function pages<T>(w: WireTarget, path: string, key: string, query: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const params = [query, token ? `nextPageToken=${encodeURIComponent(token)}` : '']
      .filter(Boolean)
      .join('&');
    const res = await w.send('GET', `${BASE}/${path}${params ? `?${params}` : ''}`);
    expect(res.status, `GET ${path}: ${res.body}`).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    items.push(...((body[key] as T[] | undefined) ?? []));
    token = body.nextPageToken as string | undefined;
    if (!token) return items;
  }
  throw new Error(`GET ${path}: pagination did not end`);
}

/** Every unit, all pages. */
export function listUnits(w: WireTarget): Promise<Unit[]> {
  return pages<Unit>(w, 'units', 'units', '');
}

/** Every UnitState, all pages, with optional exact filters (resent on every page). */
export function listStates(
  w: WireTarget,
  filter: { unitName?: string; machineID?: string } = {},
): Promise<UnitState[]> {
  const q = new URLSearchParams();
  if (filter.unitName) q.set('unitName', filter.unitName);
  if (filter.machineID) q.set('machineID', filter.machineID);
  return pages<UnitState>(w, 'state', 'states', q.toString());
}

/** One unit via GET /units/{name}, or undefined on 404. */
export async function getUnit(w: WireTarget, name: string): Promise<Unit | undefined> {
  const res = await w.getUnit(name);
  if (res.status === 404) return undefined;
  expect(res.status, `GET /units/${name}: ${res.body}`).toBe(200);
  return JSON.parse(res.body) as Unit;
}

/** PUT a unit and insist on the status (201 create/replace, 204 state change). */
export async function putOk(
  w: WireTarget,
  name: string,
  body: unknown,
  status: 201 | 204 = 201,
): Promise<void> {
  const res = await w.putUnit(name, body);
  expect(res.status, `PUT /units/${name}: ${res.body}`).toBe(status);
}

/** Create `name` launched with `options`. */
export function launch(w: WireTarget, name: string, options: UnitOption[]): Promise<void> {
  return putOk(w, name, { desiredState: 'launched', options });
}

/** /state entries that are systemd-active, as `{unit → [machineID…]}`. */
export async function activeUnits(w: WireTarget): Promise<Map<string, string[]>> {
  const active = new Map<string, string[]>();
  for (const s of await listStates(w)) {
    if (s.systemdActiveState !== 'active' || !s.name) continue;
    active.set(s.name, [...(active.get(s.name) ?? []), s.machineID ?? '']);
  }
  return active;
}

/** The single machine a non-global unit is active on, if it is active on exactly one. */
export async function activeMachineOf(w: WireTarget, name: string): Promise<string | undefined> {
  const machines = (await activeUnits(w)).get(name) ?? [];
  return machines.length === 1 ? machines[0] : undefined;
}

/** Options with `[X-Fleet]` lines appended to a long-running service. */
export function serviceWith(
  fleet: Record<string, string | string[]> = {},
  exec = '/bin/sleep 1000',
): UnitOption[] {
  const options: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: exec }];
  for (const [name, values] of Object.entries(fleet)) {
    for (const value of Array.isArray(values) ? values : [values])
      options.push({ section: 'X-Fleet', name, value });
  }
  return options;
}
