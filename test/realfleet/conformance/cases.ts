/**
 * fleet-api.md §12 cases that can run on any fleet sharing a cluster with other tests: the same
 * requests and the same assertions (test/conformance/support) as test/conformance, with every
 * unit name given a per-case prefix `p` (the real cluster is shared by the whole run, and a
 * just-deleted name is never re-created) and listings filtered to that prefix. Cases needing
 * seeded machines, machine death or an empty registry stay in test/conformance (sim only).
 */
import { createHash } from 'node:crypto';
import type { UnitOption, UnitState } from '@fleet-service/fleet-client';
import { expect } from 'vitest';
import {
  activeUnits,
  getUnit,
  launch,
  listStates,
  listUnits,
  putOk,
  serviceWith,
} from '../../conformance/support/raw-cluster.js';
import {
  BAD_NAMES,
  BASE,
  DISCOVERY_BYTES,
  DISCOVERY_SHA1,
  errorBody,
  HASH_SLEEP_100,
  J,
  O,
  SLEEP,
  unitBody,
} from '../../conformance/support/reference.js';
import {
  bodyOf,
  expectFleetError,
  expectJson,
  expectNoContent,
  expectServerHeader,
  type WireTarget,
} from '../../conformance/support/wire-sim.js';

export interface CaseContext {
  w: WireTarget;
  /** Unit-name prefix of this case (lowercase letters). */
  p: string;
  /** Poll `probe` until it returns a truthy value, within `ms` (real time). */
  until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms?: number): Promise<T>;
  /** Machine ids of the cluster (3). */
  machines: readonly string[];
}

export type ConformanceCase = [title: string, run: (c: CaseContext) => Promise<void>];

const OTHER: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2000' }];
const OTHER_AGAIN: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 3000' }];
const BODY = JSON.stringify({ desiredState: 'inactive', options: O });

const create = async ({ w }: CaseContext, name: string, body: unknown = { options: O }) => {
  const res = await w.putUnit(name, body);
  expect(res.status, `create ${name}: ${res.body}`).toBe(201);
};
const desiredStateOf = async ({ w }: CaseContext, name: string) =>
  bodyOf<{ desiredState?: string }>(await w.getUnit(name)).desiredState;
const ownUnits = async (c: CaseContext) => (await listUnits(c.w)).filter((u) => u.name.startsWith(c.p));

export const WIRE_CASES: ConformanceCase[] = [
  [
    '§12.1 GET /units lists XXX then YYY (sorted), 200 application/json',
    async (c) => {
      await create(c, `${c.p}YYY.service`);
      await create(c, `${c.p}XXX.service`);
      expect((await ownUnits(c)).map((u) => u.name)).toEqual([`${c.p}XXX.service`, `${c.p}YYY.service`]);
      expectJson(await c.w.get('units'));
    },
  ],
  [
    '§12.5 GET /units/foo/bar → 404 error JSON',
    async ({ w }) => {
      expectFleetError(await w.send('GET', `${BASE}/units/foo/bar`), 404, '');
    },
  ],
  [
    '§12.6 GET existing → 200 byte for byte; GET ZZZ → 404 unit does not exist',
    async (c) => {
      const name = `${c.p}XXX.service`;
      await create(c, name);
      expectJson(
        await c.w.getUnit(name),
        unitBody({ name, currentState: 'inactive', desiredState: 'inactive', options: O }),
      );
      expectFleetError(await c.w.getUnit(`${c.p}ZZZ`), 404, 'unit does not exist');
    },
  ],
  [
    '§12.7 DELETE existing → 204 without body or Content-Type; the unit is gone',
    async (c) => {
      const name = `${c.p}XXX.service`;
      await create(c, name);
      expectNoContent(await c.w.deleteUnit(name), 204);
      expectFleetError(await c.w.getUnit(name), 404, 'unit does not exist');
      expect(await ownUnits(c)).toEqual([]);
    },
  ],
  [
    '§12.8 DELETE absent → 404 unit does not exist; invalid name too',
    async (c) => {
      await create(c, `${c.p}XXX.service`);
      expectFleetError(await c.w.deleteUnit(`${c.p}YYY.service`), 404, 'unit does not exist');
      expect((await ownUnits(c)).map((u) => u.name)).toEqual([`${c.p}XXX.service`]);
      expectFleetError(await c.w.deleteUnit(`${c.p}foo.bar`), 404, 'unit does not exist');
    },
  ],
  [
    '§12.9 PUT {name, desiredState launched} on an inactive unit → 204',
    async (c) => {
      const name = `${c.p}XXX.service`;
      await create(c, name);
      expectNoContent(await c.w.putUnit(name, { name, desiredState: 'launched' }), 204);
      expect(await desiredStateOf(c, name)).toBe('launched');
    },
  ],
  [
    '§12.10 PUT absent with options + loaded → 201',
    async (c) => {
      const name = `${c.p}YYY.service`;
      const FOO_BAZ = [{ section: 'Service', name: 'Foo', value: 'Baz' }];
      expectNoContent(await c.w.putUnit(name, { name, desiredState: 'loaded', options: FOO_BAZ }), 201);
      expectJson(
        await c.w.getUnit(name),
        unitBody({ name, currentState: 'inactive', desiredState: 'loaded', options: FOO_BAZ }),
      );
    },
  ],
  [
    '§12.11 PUT absent with options [] → 409; nothing created',
    async (c) => {
      const name = `${c.p}YYY.service`;
      expectFleetError(
        await c.w.putUnit(name, { desiredState: 'loaded', options: [] }),
        409,
        'unit does not exist and options field empty',
      );
      expectFleetError(await c.w.getUnit(name), 404, 'unit does not exist');
    },
  ],
  [
    '§12.12 body name ≠ URL name → 400; no state change',
    async (c) => {
      const [x, y] = [`${c.p}XXX.service`, `${c.p}YYY.service`];
      await create(c, x);
      expectFleetError(
        await c.w.putUnit(x, { name: y, desiredState: 'loaded' }),
        400,
        `name in URL "${x}" differs from unit name in request body "${y}"`,
      );
      expect(await desiredStateOf(c, x)).toBe('inactive');
    },
  ],
  [
    '§12.13 PUT {desiredState loaded} without a name → 204',
    async (c) => {
      const name = `${c.p}XXX.service`;
      await create(c, name);
      expectNoContent(await c.w.putUnit(name, { desiredState: 'loaded' }), 204);
      expect(await desiredStateOf(c, name)).toBe('loaded');
    },
  ],
  [
    '§12.14 existing template: PUT launched → 400; stays inactive',
    async (c) => {
      const name = `${c.p}XXX@.service`;
      await create(c, name);
      expectFleetError(
        await c.w.putUnit(name, { desiredState: 'launched' }),
        400,
        `cannot activate template "${name}"`,
      );
      expect(await desiredStateOf(c, name)).toBe('inactive');
    },
  ],
  [
    '§12.15 Content-Type application/xml → 415; nothing created',
    async ({ w, p }) => {
      const res = await w.send('PUT', `${BASE}/units/${p}foo.service`, {
        headers: [['Content-Type', 'application/xml']],
        body: BODY,
      });
      expectFleetError(res, 415, 'only acceptable Content-Type is application/json');
      expectFleetError(await w.getUnit(`${p}foo.service`), 404, 'unit does not exist');
    },
  ],
  [
    '§12.16 `application/json; quality=0.9` → 201; two Content-Types → 415',
    async ({ w, p }) => {
      const ok = await w.send('PUT', `${BASE}/units/${p}foo.service`, {
        headers: [['Content-Type', 'application/json; quality=0.9']],
        body: BODY,
      });
      expectNoContent(ok, 201);
      const two = await w.send('PUT', `${BASE}/units/${p}bar.service`, { headers: [J, J], body: BODY });
      expectFleetError(two, 415, 'expected 1 Content-Type, got 2');
    },
  ],
  [
    '§12.22 GET / /v1-alpha /fleet/v1 → 405; /bogus → 404; Server: fleetd/1.0.0',
    async ({ w }) => {
      for (const path of ['/', '/v1-alpha', '/fleet/v1']) {
        const res = await w.send('GET', path);
        expectFleetError(res, 405, '');
        expectServerHeader(res);
      }
      const bogus = await w.send('GET', '/bogus');
      expectFleetError(bogus, 404, '');
      expectServerHeader(bogus);
    },
  ],
  [
    '§12.23 GET /discovery → schema/v1.json (SHA-1 and length); POST → 400',
    async ({ w }) => {
      const res = await w.get('discovery');
      expectJson(res);
      expect(Buffer.byteLength(res.body)).toBe(DISCOVERY_BYTES);
      expect(createHash('sha1').update(res.body).digest('hex')).toBe(DISCOVERY_SHA1);
      expectFleetError(
        await w.send('POST', `${BASE}/discovery`),
        400,
        'only HTTP GET supported against this resource',
      );
    },
  ],
  [
    '§12.24 error body format; a nil error gives "message":""',
    async ({ w }) => {
      const res = await w.send('GET', '/bogus');
      expect(res.body).toBe(errorBody(404, ''));
    },
  ],
  [
    '§12.28/§12.39 bad names → 400 with the first broken rule',
    async ({ w }) => {
      for (const [name, message] of BAD_NAMES.filter(([n]) => !n.includes('%') && !n.includes('#'))) {
        expectFleetError(await w.putUnit(name, { desiredState: 'inactive', options: O }), 400, message);
      }
    },
  ],
  [
    '§12.31 identical options, no desiredState → 409 must provide DesiredState',
    async (c) => {
      const name = `${c.p}foo.service`;
      await create(c, name);
      for (const body of [{ options: O }, {}, { desiredState: '' }])
        expectFleetError(
          await c.w.putUnit(name, body),
          409,
          'must provide DesiredState to update existing unit',
        );
    },
  ],
  [
    '§12.32 identical options + loaded → 204',
    async (c) => {
      const name = `${c.p}foo.service`;
      await create(c, name);
      expectNoContent(await c.w.putUnit(name, { desiredState: 'loaded', options: O }), 204);
      expect(await desiredStateOf(c, name)).toBe('loaded');
    },
  ],
  [
    '§12.33/§12.34 different options + launched → 201; different again without desiredState → 201, inactive',
    async (c) => {
      const name = `${c.p}foo.service`;
      await create(c, name);
      expectNoContent(await c.w.putUnit(name, { desiredState: 'launched', options: OTHER }), 201);
      expect(bodyOf<{ desiredState: string }>(await c.w.getUnit(name)).desiredState).toBe('launched');
      expectNoContent(await c.w.putUnit(name, { options: OTHER_AGAIN }), 201);
      const unit = bodyOf<{ desiredState: string; options: UnitOption[] }>(await c.w.getUnit(name));
      expect(unit).toMatchObject({ desiredState: 'inactive', options: OTHER_AGAIN });
    },
  ],
  [
    '§12.35 new unit with desiredState bogus → 500 ""; nothing created',
    async (c) => {
      const name = `${c.p}foo.service`;
      const res = await c.w.putUnit(name, { desiredState: 'bogus', options: O });
      expect(res.body).toBe(errorBody(500, ''));
      expectFleetError(await c.w.getUnit(name), 404, 'unit does not exist');
    },
  ],
  [
    '§12.38 body `not json` / empty → 400 unable to decode body',
    async ({ w, p }) => {
      const path = `${BASE}/units/${p}bad.service`;
      expectFleetError(
        await w.send('PUT', path, { headers: [J], body: 'not json' }),
        400,
        "unable to decode body: invalid character 'o' in literal null (expecting 'u')",
      );
      expectFleetError(
        await w.send('PUT', path, { headers: [J], body: '' }),
        400,
        'unable to decode body: EOF',
      );
    },
  ],
  [
    '§12.41 template created launched → 201; later loaded → 400; inactive → 204',
    async (c) => {
      const name = `${c.p}tmpl@.service`;
      expectNoContent(await c.w.putUnit(name, { desiredState: 'launched', options: O }), 201);
      expectFleetError(
        await c.w.putUnit(name, { desiredState: 'loaded' }),
        400,
        `cannot activate template "${name}"`,
      );
      expectNoContent(await c.w.putUnit(name, { desiredState: 'inactive' }), 204);
    },
  ],
  [
    '§12.42 instance without options (template present) → 409',
    async (c) => {
      await create(c, `${c.p}tmpl@.service`);
      expectFleetError(
        await c.w.putUnit(`${c.p}tmpl@1.service`, { desiredState: 'launched' }),
        409,
        'unit does not exist and options field empty',
      );
    },
  ],
  [
    '§12.47 reordered options with the same serialization → 204',
    async (c) => {
      const name = `${c.p}ord.service`;
      const a = { section: 'Service', name: 'A', value: '1' };
      const b = { section: 'Unit', name: 'B', value: '2' };
      const cc = { section: 'Service', name: 'C', value: '3' };
      await create(c, name, { options: [a, b, cc] });
      expectNoContent(await c.w.putUnit(name, { desiredState: 'loaded', options: [a, cc, b] }), 204);
    },
  ],
  [
    '§12.51 GET /units/ → 404; %40 in a name → 200',
    async (c) => {
      expectFleetError(await c.w.send('GET', `${BASE}/units/`), 404, '');
      await create(c, `${c.p}tmpl@.service`);
      expect((await c.w.send('GET', `${BASE}/units/${c.p}tmpl%40.service`)).status).toBe(200);
    },
  ],
  [
    '§12.52 HEAD /units → 405 with no body',
    async ({ w }) => {
      const res = await w.send('HEAD', `${BASE}/units`);
      expect({ status: res.status, body: res.body }).toEqual({ status: 405, body: '' });
    },
  ],
  [
    '§12.58 GET /state/{name} without state → connection closed without a response (faithful)',
    async ({ w, p }) => {
      const res = await w.send('GET', `${BASE}/state/${p}nope.service`);
      expect(res.closedWithoutResponse).toBe(true);
      expect((await w.get('units')).status).toBe(200);
    },
  ],
];

/** Cluster cases: the scheduler, the agents and systemd, waited for in real time. */
export const CLUSTER_CASES: ConformanceCase[] = [
  [
    '§12.18 GET /machines lists every machine with its primaryIP, sorted by id',
    async ({ w, machines }) => {
      const body = expectJson(await w.get('machines')) as { machines: { id: string; primaryIP: string }[] };
      expect(body.machines.map((m) => m.id)).toEqual([...machines].sort());
      for (const m of body.machines) expect(m.primaryIP).toMatch(/^127\.0\.0\.\d$/);
    },
  ],
  [
    '§12.61/§12.74 load → loaded/inactive/dead with the §11.3 hash; start → active/running',
    async (c) => {
      const name = `${c.p}h1.service`;
      await putOk(c.w, name, {
        desiredState: 'loaded',
        options: [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 100' }],
      });
      const loaded = await c.until(`${name} loaded`, async () => {
        const [st] = await listStates(c.w, { unitName: name });
        return st && (await getUnit(c.w, name))?.currentState === 'loaded' && st;
      });
      expect([loaded.systemdLoadState, loaded.systemdActiveState, loaded.systemdSubState]).toEqual([
        'loaded',
        'inactive',
        'dead',
      ]);
      expect(loaded.hash).toBe(HASH_SLEEP_100);
      await putOk(c.w, name, { desiredState: 'launched' }, 204);
      const running = await c.until(`${name} active`, async () => {
        const [st] = await listStates(c.w, { unitName: name });
        return st?.systemdActiveState === 'active' && st;
      });
      expect([running.systemdLoadState, running.systemdActiveState, running.systemdSubState]).toEqual([
        'loaded',
        'active',
        'running',
      ]);
      expect(running.hash).toBe(HASH_SLEEP_100);
    },
  ],
  [
    '§12.59/§12.63 launched unit → currentState launched with a machineID, active within the deadline',
    async (c) => {
      const name = `${c.p}hello.service`;
      await launch(c.w, name, SLEEP);
      const unit = await c.until(`${name} launched`, async () => {
        const u = await getUnit(c.w, name);
        return u?.currentState === 'launched' && u;
      });
      expect(c.machines).toContain(unit.machineID);
      await c.until(`${name} active`, async () => (await activeUnits(c.w)).get(name)?.length === 1);
      expect((await activeUnits(c.w)).get(name)).toEqual([unit.machineID]);
    },
  ],
  [
    '§12.64 5 units with Conflicts on 3 machines → exactly 3 active on 3 distinct machines; all 5 listed',
    async (c) => {
      for (let i = 0; i < 5; i++)
        await launch(
          c.w,
          `${c.p}conflict.${i}.service`,
          serviceWith({ Conflicts: `${c.p}conflict.*.service` }),
        );
      expect(await ownUnits(c)).toHaveLength(5);
      const ours = async () => [...(await activeUnits(c.w)).entries()].filter(([n]) => n.startsWith(c.p));
      await c.until('3 active conflict units', async () => (await ours()).length === 3);
      const active = await ours();
      expect(new Set(active.flatMap(([, m]) => m)).size).toBe(3);
    },
  ],
  [
    '§12.67 MachineID=<full id> runs the unit on that machine',
    async (c) => {
      const target = c.machines[1] as string;
      const name = `${c.p}pinned.service`;
      await launch(c.w, name, serviceWith({ MachineID: target }));
      await c.until(
        `${name} active on ${target}`,
        async () => (await activeUnits(c.w)).get(name)?.[0] === target,
      );
    },
  ],
  [
    '§12.68 Global=true runs on every machine; GET shows no currentState, /state one entry per machine',
    async (c) => {
      const name = `${c.p}global.service`;
      await launch(c.w, name, serviceWith({ Global: 'true' }));
      await c.until(
        `${name} active everywhere`,
        async () => (await activeUnits(c.w)).get(name)?.length === c.machines.length,
      );
      const unit = bodyOf<{ currentState?: string }>(await c.w.getUnit(name));
      expect(unit.currentState).toBeUndefined();
      const states: UnitState[] = await listStates(c.w, { unitName: name });
      expect(states.map((s) => s.machineID).sort()).toEqual([...c.machines].sort());
    },
  ],
  [
    '§12.76 DELETE of a running unit → gone from /units at once and from /state soon after',
    async (c) => {
      const name = `${c.p}bye.service`;
      await launch(c.w, name, SLEEP);
      await c.until(`${name} active`, async () => (await activeUnits(c.w)).has(name));
      expectNoContent(await c.w.deleteUnit(name), 204);
      expectFleetError(await c.w.getUnit(name), 404, 'unit does not exist');
      await c.until(
        `${name} gone from /state`,
        async () => (await listStates(c.w, { unitName: name })).length === 0,
      );
    },
  ],
];
