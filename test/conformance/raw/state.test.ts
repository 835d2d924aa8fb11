/**
 * fleet-api.md §12 over raw HTTP: GET /state and GET /state/{name} (§4.5, §4.6). The states come
 * from the sim's agents, so the ManualClock is driven until they are published.
 */
import type { UnitState } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, listStates, serviceWith } from '../support/raw-cluster.js';
import { BASE, MACHINES_XXX_YYY } from '../support/reference.js';
import { advanceUntil } from '../support/sim-time.js';
import { expectJson, startWireSim, type WireSim } from '../support/wire-sim.js';

type StatePage = { states?: UnitState[]; nextPageToken?: string };

/** A UnitState as fleet serialises it: keys in struct order, omitempty. */
function stateBody(s: UnitState): string {
  const { hash, machineID, name, systemdActiveState, systemdLoadState, systemdSubState } = s;
  return JSON.stringify({ hash, machineID, name, systemdActiveState, systemdLoadState, systemdSubState });
}

const pairs = (page: StatePage) => (page.states ?? []).map((s) => `${s.name}/${s.machineID}`);

describe('conformance (raw HTTP): unit states', () => {
  let w: WireSim;
  beforeAll(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
    // fleet's state_test.go fixture is AAA(-), BBB(XXX), CCC(XXX), CCC(YYY). A state without a
    // machine cannot come out of a real engine, so AAA runs on YYY here; the order is the same.
    await launch(w, 'CCC.service', serviceWith({ Global: 'true' }));
    await launch(w, 'BBB.service', serviceWith({ MachineID: 'XXX' }));
    await launch(w, 'AAA.service', serviceWith({ MachineID: 'YYY' }));
    await advanceUntil(
      w.clock,
      async () => {
        const states = await listStates(w);
        return states.length === 4 && states.every((s) => s.systemdActiveState === 'active') && states;
      },
      { what: 'four active unit states (AAA/YYY, BBB/XXX, CCC/XXX, CCC/YYY)' },
    );
  });
  afterAll(async () => {
    await w.close();
  });

  it('§12.17 GET /state → all 4 sorted by (name, machineID)', async () => {
    const page = expectJson(await w.get('state')) as StatePage;
    expect(pairs(page)).toEqual(['AAA.service/YYY', 'BBB.service/XXX', 'CCC.service/XXX', 'CCC.service/YYY']);
    expect(page.nextPageToken).toBeUndefined();
  });

  it('§12.17 ?unitName=CCC → CCC/XXX, CCC/YYY; ?machineID=XXX → BBB, CCC; both → 1 entry', async () => {
    expect(pairs(expectJson(await w.get('state?unitName=CCC.service')) as StatePage)).toEqual([
      'CCC.service/XXX',
      'CCC.service/YYY',
    ]);
    expect(pairs(expectJson(await w.get('state?machineID=XXX')) as StatePage)).toEqual([
      'BBB.service/XXX',
      'CCC.service/XXX',
    ]);
    expect(pairs(expectJson(await w.get('state?unitName=CCC.service&machineID=XXX')) as StatePage)).toEqual([
      'CCC.service/XXX',
    ]);
  });

  it('§12.17 ?unitName=nope → 200 {}', async () => {
    expectJson(await w.get('state?unitName=nope.service'), '{}');
  });

  it('§12.17 (§2.4) a UnitState is serialised byte for byte in fleet’s key order', async () => {
    const res = await w.get('state?unitName=AAA.service');
    const [aaa] = (JSON.parse(res.body) as StatePage).states ?? [];
    expect(aaa).toMatchObject({
      machineID: 'YYY',
      name: 'AAA.service',
      systemdActiveState: 'active',
      systemdLoadState: 'loaded',
      systemdSubState: 'running',
    });
    expect(aaa?.hash).toMatch(/^[0-9a-f]{40}$/);
    expectJson(res, `{"states":[${stateBody(aaa as UnitState)}]}`);
  });

  it('§12.56 states sorted by (name, machineID); ?unitName=&machineID= → only that pair; ?machineID=zzz → {}', async () => {
    const all = (JSON.parse((await w.get('state')).body) as StatePage).states ?? [];
    const keys = all.map((s) => `${s.name}\u0000${s.machineID}`);
    expect(keys).toEqual([...keys].sort());
    expect(pairs(expectJson(await w.get('state?unitName=CCC.service&machineID=YYY')) as StatePage)).toEqual([
      'CCC.service/YYY',
    ]);
    expectJson(await w.get('state?machineID=zzz'), '{}');
    // Filters are exact matches: no globs, no prefixes (§4.5).
    expectJson(await w.get('state?unitName=CCC'), '{}');
    expectJson(await w.get('state?unitName=C*'), '{}');
  });

  it('§12.57 GET /state/CCC.service (on XXX and YYY) → 200 with a single object (the first machine’s), not a page', async () => {
    const list = (JSON.parse((await w.get('state?unitName=CCC.service')).body) as StatePage).states ?? [];
    const first = list[0] as UnitState;
    expect(first.machineID).toBe('XXX');
    expectJson(await w.send('GET', `${BASE}/state/CCC.service`), stateBody(first));
  });

  it('§12.58 GET /state/nope.service (no state) → the connection is closed with no HTTP response (faithful)', async () => {
    const res = await w.send('GET', `${BASE}/state/nope.service`);
    expect(res.closedWithoutResponse).toBe(true);
    expect(res.status).toBe(0);
    // The server survives the panic: the next request is answered.
    expect((await w.get('units')).status).toBe(200);
  });
});
