import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseInteger } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['600', 600_000],
    ['3.0', 3_000],
    [' 2M ', 120_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text, 'x')).toBe(ms);
  });

  it.each(['', 'abc', '10 minutes', '-5s', '5x', 's', '1m-3s'])('%j is not a duration', (text) => {
    expect(() => parseDuration(text, 'healthy-timeout')).toThrow(/--healthy-timeout: ".*" is not a duration/);
  });

  it('enforces bounds and names the flag', () => {
    expect(() => parseDuration('0', 'timeout')).toThrow(/--timeout: 0 is out of range/);
    expect(() => parseDuration('2h', 'x', { maxMs: 3_600_000 })).toThrow(/out of range \(1ms to 1h\)/);
    expect(parseDuration('0', 'min-healthy', { minMs: 0 })).toBe(0);
    expect(parseDuration('250', 'x', { bareUnit: 'ms' })).toBe(250);
  });

  it('errors are usage errors (exit 2)', () => {
    try {
      parseDuration('nope', 'x');
    } catch (error) {
      expect((error as { code?: string }).code).toBe('ERR_USAGE');
    }
    expect.assertions(1);
  });
});

describe('parseInteger', () => {
  it('accepts whole numbers in range', () => {
    expect(parseInteger('3', 'count', 1)).toBe(3);
  });
  it.each([
    ['0', /out of range \(1 to/],
    ['-1', /out of range/],
    ['abc', /"abc" is not a whole number/],
    ['1.5', /not a whole number/],
  ])('%s is refused', (text, message) => {
    expect(() => parseInteger(text, 'count', 1)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1_500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
