// Issue 14: what a rollout costs fleet, counted on the simulator's request log (never timed).
// - an unchanged rerun writes nothing and takes no lock (observe and plan without it);
// - a rerun with work takes the lock, re-observes under it, and lists /units exactly once;
// - the capacity check's requests per replaced instance do not grow with N.
import { lockUnitName, rollout } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClient, FAST, type Harness, harness, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isListing = (path: string) => /\/units(\?|$)/.test(path);

describe('what a rollout costs', () => {
  it('an unchanged rerun writes nothing and takes no lock, even while someone else holds it', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 3, ...FAST }, { api: h.api, clock: h.clock });
    // someone else's lock: a rerun with nothing to do does not need it
    await h.api.createUnit({
      name: lockUnitName('web'),
      options: [{ section: 'X-Fs-Lock', name: 'Note', value: 'not ours' }],
      desiredState: 'inactive',
    });
    const c = countingClient(h);
    const events: string[] = [];
    const result = await rollout(
      { service: 'web', unitFile: V1, count: 3, ...FAST },
      { api: c.api, clock: h.clock, onEvent: (e) => events.push(e.type) },
    );
    expect(result.outcome).toBe('unchanged');
    expect(c.writes()).toEqual([]);
    expect(events).toEqual(['plan', 'done']);
    expect(c.requests.filter((r) => isListing(r.path))).toHaveLength(1);
  });

  it('with work: lock, re-observe under it without a second listing, then act', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const c = countingClient(h);
    const result = await rollout(
      { service: 'web', unitFile: V2, count: 2, ...FAST },
      { api: c.api, clock: h.clock },
    );
    expect(result.replaced).toEqual(['web@1.service', 'web@2.service']);
    expect(c.requests.filter((r) => r.method === 'GET' && isListing(r.path))).toHaveLength(1);
    const lockWrite = c.requests.findIndex((r) => r.method === 'PUT' && r.path.includes('fs-lock'));
    const recordRead = c.requests.findIndex(
      (r, k) => k > lockWrite && r.method === 'GET' && r.path.includes('fs-record'),
    );
    // the record is read again under the lock (another rollout in between would have changed it)
    expect(lockWrite).toBeGreaterThan(0);
    expect(recordRead).toBeGreaterThan(lockWrite);
  });

  it('a rollout that ran in between is seen under the lock: the plan is made again from a full look', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
    const c = countingClient(h);
    let raced = false;
    const result = await rollout(
      { service: 'web', unitFile: V2, count: 2, ...FAST },
      {
        api: new Proxy(c.api, {
          get(target, key) {
            // between the first look and the lock, another rollout finishes V2 on 3 instances
            if (key === 'createUnit')
              return async (...args: Parameters<typeof target.createUnit>) => {
                if (!raced && args[0].name === lockUnitName('web')) {
                  raced = true;
                  await rollout(
                    { service: 'web', unitFile: V2, count: 3, ...FAST },
                    { api: h!.api, clock: h!.clock },
                  );
                }
                return target.createUnit(...args);
              };
            const value = Reflect.get(target, key);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
        clock: h.clock,
      },
    );
    // the plan made under the lock sees web@3 (above count 2) and V2 already running
    expect(result.replaced).toEqual([]);
    expect(result.removed).toEqual(['web@3.service']);
    expect(c.requests.filter((r) => r.method === 'GET' && isListing(r.path))).toHaveLength(2);
  });

  it('requests per replaced instance at N=40 stay within 1.5× those at N=8 (the capacity check does not grow with N)', async () => {
    const perReplaced = async (n: number) => {
      const x = await harness({ machines: 4 });
      try {
        await rollout(
          { service: 'web', unitFile: V1, count: n, maxUnavailable: n - 1, allowOutage: true, ...FAST },
          { api: x.api, clock: x.clock },
        );
        const c = countingClient(x);
        const r = await rollout(
          { service: 'web', unitFile: V2, count: n, ...FAST },
          { api: c.api, clock: x.clock },
        );
        return c.requests.filter((q) => !isListing(q.path)).length / r.replaced.length;
      } finally {
        await x.close();
      }
    };
    const small = await perReplaced(8);
    const big = await perReplaced(40);
    expect(big / small).toBeLessThanOrEqual(1.5);
  }, 60_000);
});
