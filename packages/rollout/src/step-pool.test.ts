import { describe, expect, it } from 'vitest';
import { runPool } from './step-pool.js';

/** A task that resolves (or rejects) only when told to, recording when it started. */
function gated(log: string[]) {
  const release = new Map<number, (fail?: boolean) => void>();
  const run = (k: number) =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${k}`);
      release.set(k, (fail) => (fail ? reject(new Error(`step ${k} failed`)) : resolve()));
    });
  return { run, release: (k: number, fail?: boolean) => release.get(k)!(fail) };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('runPool', () => {
  it('keeps at most `limit` in flight, starting the next in order whenever one finishes', async () => {
    const log: string[] = [];
    const g = gated(log);
    const done = runPool([1, 2, 3, 4, 5], 2, g.run, () => true);
    await tick();
    expect(log).toEqual(['start 1', 'start 2']);
    g.release(2);
    await tick();
    expect(log).toEqual(['start 1', 'start 2', 'start 3']);
    g.release(1);
    g.release(3);
    await tick();
    expect(log).toEqual(['start 1', 'start 2', 'start 3', 'start 4', 'start 5']);
    g.release(4);
    g.release(5, true);
    const results = await done;
    expect(results.map((r) => r?.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
    ]);
  });

  it('starts nothing more once mayStart says no; the ones in flight finish; the rest are undefined', async () => {
    const log: string[] = [];
    const g = gated(log);
    let stop = false;
    const done = runPool([1, 2, 3, 4], 2, g.run, () => !stop);
    await tick();
    stop = true;
    g.release(1, true);
    await tick();
    expect(log).toEqual(['start 1', 'start 2']);
    g.release(2);
    const results = await done;
    expect(results.map((r) => r?.status)).toEqual(['rejected', 'fulfilled', undefined, undefined]);
  });

  it('a limit larger than the batch runs everything at once; an empty batch resolves', async () => {
    const log: string[] = [];
    const g = gated(log);
    const done = runPool([1, 2, 3], 50, g.run, () => true);
    await tick();
    expect(log).toEqual(['start 1', 'start 2', 'start 3']);
    for (const k of [1, 2, 3]) g.release(k);
    expect((await done).every((r) => r?.status === 'fulfilled')).toBe(true);
    expect(await runPool([], 50, g.run, () => true)).toEqual([]);
  });
});
