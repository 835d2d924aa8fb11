import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('ManualClock', () => {
  it('moves only when told, firing due sleepers in time order', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    void clock.sleep(300).then(() => fired.push(`b@${clock.now()}`));
    void clock.sleep(100).then(() => fired.push(`a@${clock.now()}`));
    void clock.sleep(900).then(() => fired.push(`c@${clock.now()}`));
    await turns(5);
    expect(fired).toEqual([]);
    await clock.advance(300);
    expect(fired).toEqual(['a@1100', 'b@1300']);
    expect(clock.now()).toBe(1300);
    expect(clock.pending).toBe(1);
    expect(await clock.next()).toBe(true);
    expect(fired).toEqual(['a@1100', 'b@1300', 'c@1900']);
    expect(await clock.next()).toBe(false);
  });

  it('fires timers scheduled by timers within the same advance', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    void clock.sleep(100).then(async () => {
      fired.push(clock.now());
      await clock.sleep(100);
      fired.push(clock.now());
    });
    await clock.advance(250);
    expect(fired).toEqual([100, 200]);
    expect(clock.now()).toBe(250);
  });

  it('rejects on abort and forgets the sleeper', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const p = clock.sleep(100, controller.signal);
    controller.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(1, controller.signal)).rejects.toThrow('stop');
  });

  it('autoAdvance jumps to the next timer when idle, but never while a hold is open', async () => {
    const clock = new ManualClock(0, { autoAdvance: true, idleTurns: 3 });
    const release = clock.hold();
    let done = false;
    void clock.sleep(5000).then(() => {
      done = true;
    });
    await turns(30);
    expect(done).toBe(false);
    expect(clock.now()).toBe(0);
    release();
    await turns(30);
    expect(done).toBe(true);
    expect(clock.now()).toBe(5000);
  });

  it('autoAdvance runs a sleeping loop to completion deterministically', async () => {
    const clock = new ManualClock(0, { autoAdvance: true });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.sleep(250);
      seen.push(clock.now());
    }
    expect(seen).toEqual([250, 500, 750, 1000, 1250]);
  });
});
