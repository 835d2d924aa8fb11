// Issue 14: the waits' /state reads are gathered per event-loop turn and answered by one listing
// when it is cheaper (packages/rollout/src/state-reads.ts), on the simulator over real HTTP.
import type { FleetApi, RequestInfo } from '@fleet-service/fleet-client';
import { rollout, shareStateReads } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClient, FAST, type Harness, harness, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const stateReads = (requests: RequestInfo[]) => requests.filter((r) => r.path.includes('/state'));
const isListing = (r: RequestInfo) => r.path.includes('/state') && !r.query.includes('unitName=');
const names = (n: number) => Array.from({ length: n }, (_, k) => `web@${k + 1}.service`);
const sortStates = (s: Awaited<ReturnType<FleetApi['listUnitStates']>>) =>
  [...s].sort((a, b) => (a.machineID ?? '').localeCompare(b.machineID ?? ''));

async function running(n: number): Promise<Harness> {
  const x = await harness();
  await rollout(
    { service: 'web', unitFile: V1, count: n, ...FAST, maxUnavailable: n, allowOutage: true },
    { api: x.api, clock: x.clock },
  );
  return x;
}

describe('shared /state reads', () => {
  it('answers reads asked in one turn with one listing when it has fewer pages, each as its own read would', async () => {
    h = await running(12);
    const c = countingClient(h);
    const shared = shareStateReads(c.api, 13); // 12 instances + the record: one page
    const asked = [...names(12), 'web@99.service'];
    const answers = await Promise.all(asked.map((u) => shared.listUnitStates({ unitName: u })));
    expect(stateReads(c.requests)).toHaveLength(1);
    expect(isListing(c.requests[0]!)).toBe(true);
    expect(shared.sharedReads).toMatchObject({ asked: 13, listingPages: 1, perUnit: 0 });
    for (const [k, unit] of asked.entries())
      expect(sortStates(answers[k]!)).toEqual(sortStates(await h.api.listUnitStates({ unitName: unit })));
    expect(answers[12]).toEqual([]);
  });

  it('reads per unit when the cluster size is unknown or the listing costs as much', async () => {
    h = await running(3);
    const c = countingClient(h);
    const unknown = shareStateReads(c.api);
    await Promise.all(names(3).map((u) => unknown.listUnitStates({ unitName: u })));
    expect(stateReads(c.requests).map(isListing)).toEqual([false, false, false]);
    const c2 = countingClient(h);
    const one = shareStateReads(c2.api, 4);
    await one.listUnitStates({ unitName: 'web@1.service' }); // 1 page vs 1 read: no gain
    expect(stateReads(c2.requests).map(isListing)).toEqual([false]);
    // other filters and the listing itself pass through untouched
    await one.listUnitStates({});
    await one.listUnitStates({ unitName: 'web@1.service', machineID: 'x' });
    expect(stateReads(c2.requests)).toHaveLength(3);
  });

  it('confirms an absence with its own read when the listing had several pages (pages are not snapshots)', async () => {
    h = await running(110); // 110 states + the record: two pages
    const c = countingClient(h);
    const shared = shareStateReads(c.api, 111);
    const asked = ['web@1.service', 'web@2.service', 'web@3.service', 'gone@1.service'];
    const answers = await Promise.all(asked.map((u) => shared.listUnitStates({ unitName: u })));
    const reads = stateReads(c.requests);
    expect(reads.filter(isListing)).toHaveLength(2); // the two pages
    expect(reads.filter((r) => !isListing(r)).map((r) => r.query)).toEqual([
      expect.stringContaining('unitName=gone%401.service'),
    ]);
    expect(answers.map((a) => a.length)).toEqual([1, 1, 1, 0]);
  });

  it('gives every reader the error of a failed listing, and an aborted reader only its own abort', async () => {
    h = await running(6);
    const shared = shareStateReads(h.api, 7);
    const ac = new AbortController();
    const mine = shared.listUnitStates({ unitName: 'web@1.service' }, { signal: ac.signal });
    const other = shared.listUnitStates({ unitName: 'web@2.service' });
    ac.abort(new Error('stop'));
    await expect(mine).rejects.toThrow('stop');
    expect((await other).length).toBe(1);
    await h.sim.close(); // fleet goes away: the listing fails for every reader at once
    const failing = names(6).map((u) => shared.listUnitStates({ unitName: u }).catch((e: unknown) => e));
    const errors = await Promise.all(failing);
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    h = undefined;
  });

  it('is wrapped once: fs apply’s services share one gatherer', () => {
    const api = { listUnitStates: async () => [] } as unknown as FleetApi;
    const once = shareStateReads(api, 10);
    expect(shareStateReads(once, 20)).toBe(once);
  });

  it('a batch of waits polls together: an update of 40 instances, 10 at a time, reads /state by listing', async () => {
    h = await running(40);
    const c = countingClient(h);
    const result = await rollout(
      { service: 'web', unitFile: V2, count: 40, ...FAST, maxUnavailable: 10 },
      { api: c.api, clock: h.clock },
    );
    expect(result.replaced).toHaveLength(40);
    const reads = stateReads(c.requests);
    const listings = reads.filter(isListing).length;
    const perUnit = reads.length - listings;
    // the waits of a batch ask together: most of their polls are answered by listings
    expect(listings).toBeGreaterThan(0);
    // without them every poll of every wait was its own read: several per instance (measured: 7
    // per-unit reads in all beside 72 listing pages, against 473 per-unit reads and 6 listing pages before)
    expect(perUnit).toBeLessThan(40);
  });
});
