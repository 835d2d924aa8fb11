// Defect 1 (issue 11): the gate's bookkeeping is O(1) per take-down once fresh reads answer it, not
// a scan of every instance per take-down (quadratic: hours for 100,000 instances). Asserted by
// counting reads of the instance list, never by wall time.
import type { FleetApi, UnitState } from '@fleet-service/fleet-client';
import { ManualClock } from '@fleet-service/fleet-sim';
import { describe, expect, it } from 'vitest';
import { createCapacityGate, isTakeDownCancelled } from './capacity-gate.js';
import { resolveSettings } from './spec.js';

const names = (n: number) => Array.from({ length: n }, (_, k) => `web@${k + 1}.service`);

/** A gate over `instances`, all running; `onRead` is called on every `/state` read. */
function gateOver(instances: readonly string[], onRead: () => void, abort?: AbortSignal) {
  const n = instances.length;
  const api = {
    async listUnitStates(filter?: { unitName?: string }): Promise<UnitState[]> {
      onRead();
      return [
        {
          name: filter?.unitName ?? '',
          machineID: 'm1',
          hash: 'h',
          systemdLoadState: 'loaded',
          systemdActiveState: 'active',
          systemdSubState: 'running',
        },
      ];
    },
  } as unknown as FleetApi;
  const clock = new ManualClock(0);
  const settings = resolveSettings({ service: 'web', unitFile: [], count: n });
  return createCapacityGate(
    {
      api,
      clock,
      settings,
      progress: { lastProgress: 0, ms: settings.progressDeadlineMs },
      healthChecks: [],
      machine: async () => undefined,
    },
    { instances, guarantee: n - 1, ...(abort ? { abort } : {}) },
  );
}

/** Take each of `n` running instances down and back up in turn; returns the instance-list reads and /state reads. */
async function replaceAll(n: number): Promise<{ listReads: number; stateReads: number }> {
  let listReads = 0;
  const instances = new Proxy(names(n), {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) listReads++;
      return Reflect.get(target, key, receiver);
    },
  });
  let stateReads = 0;
  const gate = gateOver(instances, () => stateReads++);
  for (const name of names(n)) {
    await gate.takeDown(name);
    gate.restored(name);
  }
  return { listReads, stateReads };
}

describe('capacity gate', () => {
  it('answers an abort between rounds of reads, not after reading every instance', async () => {
    const abort = new AbortController();
    let reads = 0;
    const gate = gateOver(
      names(10_000),
      () => {
        reads++;
        if (reads === 20) abort.abort();
      },
      abort.signal,
    );
    const error = await gate.takeDown('web@1.service').catch((e: unknown) => e);
    expect(isTakeDownCancelled(error)).toBe(true);
    expect(reads).toBeLessThanOrEqual(24);
  });

  it('admits a take-down when N − maxUnavailable others run, reading each instance once per fresh round', async () => {
    const { stateReads } = await replaceAll(50);
    expect(stateReads).toBe(50);
  });

  it('bookkeeping for 2N take-downs costs < 2.5 × that for N (defect 1)', async () => {
    const small = await replaceAll(1_000);
    const large = await replaceAll(2_000);
    expect(large.listReads / small.listReads).toBeLessThan(2.5);
  });
});
