// Defect 1 (issue 11): planning 100,000 instances must cost O(instances), not O(instances²). Asserted
// by counting property reads on the inputs (the work), never by wall time.
import type { Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { unitHash } from './fleet-helpers.js';
import { instanceBatches, planRollout } from './planner.js';
import type { InstanceView } from './snapshot.js';

const OLD: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web --v1' }];
const NEW: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web --v2' }];

/** A copy of `value` whose `keys` count every read in `reads.n`. */
function counted<T extends object>(value: T, keys: (keyof T)[], reads: { n: number }): T {
  const out = { ...value };
  for (const key of keys) {
    const v = value[key];
    Object.defineProperty(out, key, {
      enumerable: true,
      get() {
        reads.n++;
        return v;
      },
    });
  }
  return out;
}

/** Reads of unit and `/state` names while planning a replace of `n` running instances on 7 machines. */
function planReads(n: number, machineAware: boolean): number {
  const reads = { n: 0 };
  const units: Unit[] = [];
  const states: UnitState[] = [];
  const hash = unitHash(OLD);
  for (let i = 1; i <= n; i++) {
    const name = `web@${i}.service`;
    const machineID = `m${i % 7}`;
    units.push(
      counted(
        { name, options: OLD, desiredState: 'launched', currentState: 'launched', machineID },
        ['name', 'machineID'],
        reads,
      ),
    );
    states.push(
      counted(
        {
          name,
          machineID,
          hash,
          systemdLoadState: 'loaded',
          systemdActiveState: 'active',
          systemdSubState: 'running',
        },
        ['name', 'machineID'],
        reads,
      ),
    );
  }
  const plan = planRollout(
    { service: 'web', unitFile: NEW, count: n, maxUnavailable: 3, machineAware },
    { service: 'web', units, states, serverVersion: '1.0.0' },
  );
  expect(plan.summary.replace).toBe(n);
  return reads.n;
}

/** Reads of `machineID` while batching `n` instances that sit on two machines, 2 per batch. */
function batchReads(n: number): number {
  const reads = { n: 0 };
  const items: InstanceView[] = [];
  for (let i = 1; i <= n; i++) {
    const machineID = i <= n / 2 ? 'a' : 'b';
    items.push(
      counted(
        { name: `web@${i}.service`, index: i, hash: 'h', machineID, running: true },
        ['machineID'],
        reads,
      ),
    );
  }
  const batches = instanceBatches(items, 2, true);
  expect(batches.flat()).toHaveLength(n);
  expect(batches.every((b) => b.length <= 1 || b[0]!.machineID !== b[1]!.machineID)).toBe(true);
  return reads.n;
}

describe('planning cost grows linearly with the instances (defect 1)', () => {
  it.each([false, true])('planRollout, machineAware %s: 2N instances cost < 2.5 × N', (machineAware) => {
    const small = planReads(2_000, machineAware);
    const large = planReads(4_000, machineAware);
    expect(large / small).toBeLessThan(2.5);
  });

  it('machine-aware batching: 2N instances cost < 2.5 × N', () => {
    const small = batchReads(2_000);
    const large = batchReads(4_000);
    expect(large / small).toBeLessThan(2.5);
  });
});
