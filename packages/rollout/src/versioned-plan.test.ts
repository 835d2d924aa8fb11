// planVersionedDeploy, pure: plans over generated services (old version a with P instances, some
// of them not running; the new version b absent or partly there), checked for the invariants the
// executor relies on: every index 1..N gets b; an old instance goes only after b with its index is
// healthy (destroyPrevious true), only after every b (at-end), never (false); batches hold at most
// batchSize new instances; and, replayed batch by batch, at least min(N, running a) instances run.
import type { Unit, UnitState } from '@fleet-service/fleet-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unitHash } from './fleet-helpers.js';
import { planVersionedDeploy } from './versioned-plan.js';
import { withVersionMarker } from './versioned-view.js';

const base = [{ section: 'Service', name: 'ExecStart', value: '/usr/bin/web' }];
const A = withVersionMarker(base, 'web', 'a');
const B = withVersionMarker([...base, { section: 'Service', name: 'Environment', value: 'X=1' }], 'web', 'b');

function snapshot(p: number, down: number[], bHave: number) {
  const units: Unit[] = [
    { name: 'web-a@.service', options: A, desiredState: 'inactive', currentState: 'inactive' },
  ];
  const states: UnitState[] = [];
  const add = (name: string, options: typeof A, running: boolean) => {
    units.push({ name, options, desiredState: 'launched', currentState: 'launched', machineID: 'm1' });
    if (running)
      states.push({
        name,
        machineID: 'm1',
        hash: unitHash(options),
        systemdLoadState: 'loaded',
        systemdActiveState: 'active',
        systemdSubState: 'running',
      });
  };
  for (let i = 1; i <= p; i++) add(`web-a@${i}.service`, A, !down.includes(i));
  if (bHave > 0)
    units.push({ name: 'web-b@.service', options: B, desiredState: 'inactive', currentState: 'inactive' });
  for (let i = 1; i <= bHave; i++) add(`web-b@${i}.service`, B, true);
  return { service: 'web', units, states };
}

const cases = fc.record({
  n: fc.integer({ min: 1, max: 8 }),
  p: fc.integer({ min: 0, max: 8 }),
  down: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 3 }),
  bHave: fc.integer({ min: 0, max: 2 }),
  batchSize: fc.integer({ min: 1, max: 4 }),
  destroyPrevious: fc.constantFrom<true | false | 'at-end'>(true, false, 'at-end'),
});

describe('planVersionedDeploy (properties)', () => {
  it('keeps capacity and the order of creates and destroys', () => {
    fc.assert(
      fc.property(cases, ({ n, p, down, bHave, batchSize, destroyPrevious }) => {
        const plan = planVersionedDeploy(
          { service: 'web', version: 'b', unitFile: B, count: n, batchSize, destroyPrevious },
          snapshot(p, down, Math.min(bHave, n)),
        );
        const batchOf = (unit: string, action: string) =>
          plan.steps.find((s) => s.unit === unit && s.action === action)?.batch;
        const upIn = (i: number) =>
          batchOf(`web-b@${i}.service`, 'create') ?? batchOf(`web-b@${i}.service`, 'start') ?? 0;
        for (let i = 1; i <= n; i++)
          expect(upIn(i) > 0 || plan.unchanged.includes(`web-b@${i}.service`)).toBe(true);
        const lastUp = Math.max(0, ...Array.from({ length: n }, (_, k) => upIn(k + 1)));
        const destroys = plan.steps.filter((s) => s.action === 'destroy' && s.unit.startsWith('web-a@'));
        if (destroyPrevious === false) expect(destroys).toEqual([]);
        else
          expect(destroys.map((s) => s.unit).sort()).toEqual(
            ['web-a@.service', ...Array.from({ length: p }, (_, k) => `web-a@${k + 1}.service`)].sort(),
          );
        for (const d of destroys) {
          if (d.index === undefined) continue;
          if (destroyPrevious === 'at-end' || d.index > n) expect(d.batch).toBeGreaterThan(lastUp);
          else expect(d.batch).toBeGreaterThan(upIn(d.index));
        }
        for (const b of new Set(plan.steps.map((s) => s.batch)))
          expect(plan.steps.filter((s) => s.batch === b && s.role === 'instance').length).toBeLessThanOrEqual(
            batchSize,
          );
        // replay: a batch's destroys happen while its creates are not up yet
        const runningA = Array.from({ length: p }, (_, k) => k + 1).filter((i) => !down.includes(i));
        const guarantee = Math.min(n, runningA.length);
        const alive = new Set(runningA.map((i) => `web-a@${i}.service`));
        for (let i = 1; i <= Math.min(bHave, n); i++) alive.add(`web-b@${i}.service`);
        for (let b = 1; b <= plan.summary.batches; b++) {
          const steps = plan.steps.filter((s) => s.batch === b);
          for (const s of steps) if (s.action === 'destroy') alive.delete(s.unit);
          expect(alive.size).toBeGreaterThanOrEqual(guarantee);
          for (const s of steps) if (s.action !== 'destroy' && s.role === 'instance') alive.add(s.unit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses new contents under a version that runs other contents', () => {
    const snap = snapshot(1, [], 1);
    expect(() =>
      planVersionedDeploy(
        {
          service: 'web',
          version: 'b',
          unitFile: [...base, { section: 'Service', name: 'Environment', value: 'X=2' }],
        },
        snap,
      ),
    ).toThrow(/version b of web already runs other contents/);
  });
});
