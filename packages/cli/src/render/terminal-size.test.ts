import { describe, expect, it } from 'vitest';
import { ensureUsableSize, usableSize } from './terminal-size.js';

describe('terminal size', () => {
  it.each([
    [0, 80],
    [undefined, 80],
    [Number.NaN, 80],
    [-3, 80],
    [Number.POSITIVE_INFINITY, 80],
    [120, 120],
  ])('columns %s → %s', (reported, used) => {
    expect(usableSize(reported, 80)).toBe(used);
  });

  it('patches only an unusable size, and puts it back', () => {
    const zero = { columns: 0, rows: 0 };
    const fine = { columns: 132, rows: 50 };
    const restore = ensureUsableSize([zero, fine]);
    expect(zero).toEqual({ columns: 80, rows: 24 });
    expect(fine).toEqual({ columns: 132, rows: 50 });
    restore();
    expect(zero).toEqual({ columns: 0, rows: 0 });
  });
});
