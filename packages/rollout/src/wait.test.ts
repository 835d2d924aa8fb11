import { describe, expect, it } from 'vitest';
import { maxObservationGapMs } from './unit-watch.js';
import { nextOnGrid, TransitionPace } from './wait.js';

describe('TransitionPace', () => {
  it('polls every interval until a transition of that kind was seen', () => {
    const pace = new TransitionPace();
    expect(pace.nextPoll('gone', 0, 0, 1_000, true)).toBe(1_000);
    pace.record('gone', 0); // already there at the first poll: says nothing about the timing
    expect(pace.nextPoll('gone', 0, 0, 1_000, true)).toBe(1_000);
    // on the clock's grid: a wait that started at 10_300 polls at 11_000, 12_000, …
    expect(pace.nextPoll('gone', 10_300, 10_300, 1_000, true)).toBe(11_000);
    expect(pace.nextPoll('gone', 10_300, 11_000, 1_000, true)).toBe(12_000);
  });

  it('skips to the window where the transition is due, polls every quarter interval inside it, then every interval', () => {
    const pace = new TransitionPace();
    pace.record('gone', 3_900);
    pace.record('gone', 4_000);
    // window [3_900 − 250, 4_000 + 250] from the wait's start (10_000), on the quarter grid
    expect(pace.nextPoll('gone', 10_000, 10_000, 1_000, true)).toBe(13_500);
    expect(pace.nextPoll('gone', 10_000, 13_650, 1_000, true)).toBe(13_750);
    expect(pace.nextPoll('gone', 10_000, 14_150, 1_000, true)).toBe(14_250);
    expect(pace.nextPoll('gone', 10_000, 14_400, 1_000, true)).toBe(15_000);
    // without skipping (a failure must show at once): every interval until the window
    expect(pace.nextPoll('gone', 10_000, 10_000, 1_000, false)).toBe(11_000);
    expect(pace.nextPoll('gone', 10_000, 13_000, 1_000, false)).toBe(13_500);
  });

  it('keeps the dense window at most two intervals wide and never skips more than ten intervals', () => {
    const pace = new TransitionPace();
    pace.record('launched', 2_000);
    pace.record('launched', 9_000);
    // window [2_000 − 250, min(9_000, 2_000 + 2_000) + 250]
    expect(pace.nextPoll('launched', 0, 4_000, 1_000, true)).toBe(4_250);
    expect(pace.nextPoll('launched', 0, 4_250, 1_000, true)).toBe(5_000);
    const slow = new TransitionPace();
    slow.record('launched', 60_000);
    expect(slow.nextPoll('launched', 0, 0, 1_000, true)).toBe(10_000);
  });
});

describe('maxObservationGapMs', () => {
  it('is one poll interval plus 10 %, at least 25 ms, at most 100 ms', () => {
    expect(maxObservationGapMs(1_000)).toBe(1_100);
    expect(maxObservationGapMs(250)).toBe(275);
    expect(maxObservationGapMs(5_000)).toBe(5_100);
    expect(maxObservationGapMs(20)).toBe(45);
  });
});

describe('TransitionPace, denseFirst', () => {
  it('polls every quarter interval for the first 8 intervals of the wait, seen before or not', () => {
    const pace = new TransitionPace();
    expect(pace.nextPoll('active', 10_300, 10_300, 1_000, false, true)).toBe(10_500);
    expect(pace.nextPoll('active', 10_300, 10_500, 1_000, false, true)).toBe(10_750);
    // past 8 intervals from the wait's start: every interval again
    expect(pace.nextPoll('active', 10_300, 18_400, 1_000, false, true)).toBe(19_000);
    // without it: every interval
    expect(pace.nextPoll('active', 10_300, 10_300, 1_000, false)).toBe(11_000);
    pace.record('active', 5_000); // a transition seen: still dense from the start
    expect(pace.nextPoll('active', 20_000, 20_000, 1_000, false, true)).toBe(20_250);
  });
});

describe('nextOnGrid', () => {
  it('is the first multiple of the step after t, so waits that started apart poll together', () => {
    expect(nextOnGrid(0, 500)).toBe(500);
    expect(nextOnGrid(499, 500)).toBe(500);
    expect(nextOnGrid(500, 500)).toBe(1_000);
    expect([1_020, 1_370, 1_499].map((t) => nextOnGrid(t, 500))).toEqual([1_500, 1_500, 1_500]);
  });
});
