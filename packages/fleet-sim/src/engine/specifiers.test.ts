import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, fixture, svc, xf } from '../test-helpers/sim-fixture.js';

// fleet-api.md §8: `%n %N %p %i` in [X-Fleet] values are expanded per unit name before scheduling.

const M1 = '11111111aaaaaaaaaaaaaaaaaaaaaaaa';
const M2 = '22222222bbbbbbbbbbbbbbbbbbbbbbbb';

let f: Fixture;
afterEach(async () => {
  await f.close();
});

describe('[X-Fleet] specifiers', () => {
  it('%p: Conflicts=%p@*.service keeps instances apart (2 machines → 2 of 3 run)', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    for (const i of [1, 2, 3]) await f.launch(`web@${i}.service`, [svc(), xf('Conflicts', '%p@*.service')]);
    await f.clock.advance(8000);
    const placed = Object.values(f.placement()).filter(Boolean);
    expect(placed.sort()).toEqual([M1, M2]);
  });

  it('%i: MachineID=%i pins pin@<short id> to that machine (fleet’s pin@.service fixture)', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    await f.launch(`pin@${M2.slice(0, 8)}.service`, [svc(), xf('MachineID', '%i')]);
    await f.clock.advance(8000);
    expect(await f.unit(`pin@${M2.slice(0, 8)}.service`)).toMatchObject({
      currentState: 'launched',
      machineID: M2,
    });
  });

  it('%p in MachineOf: app@1 follows app-db.service', async () => {
    f = await fixture({ machines: [{ id: M1 }, { id: M2 }] });
    await f.launch('app-db.service', [svc(), xf('MachineID', M2)]);
    await f.clock.advance(4000);
    await f.launch('app@1.service', [svc(), xf('MachineOf', '%p-db.service')]);
    await f.clock.advance(8000);
    expect(f.placement()).toEqual({ 'app-db.service': M2, 'app@1.service': M2 });
  });

  it('%N and %n: Conflicts=%N-twin.service and MachineMetadata=unit=%n', async () => {
    f = await fixture({ machines: [{ id: M1, metadata: { unit: 'b.service' } }] });
    await f.launch('a.service', [svc(), xf('Conflicts', '%N-twin.service')]);
    await f.clock.advance(4000);
    await f.launch('a-twin.service', [svc()]);
    await f.launch('b.service', [svc(), xf('MachineMetadata', 'unit=%n')]);
    await f.launch('c.service', [svc(), xf('MachineMetadata', 'unit=%n')]);
    await f.clock.advance(8000);
    expect(f.placement()).toEqual({
      'a-twin.service': undefined,
      'a.service': M1,
      'b.service': M1,
      'c.service': undefined,
    });
  });
});
