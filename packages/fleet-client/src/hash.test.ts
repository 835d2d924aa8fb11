import { describe, expect, it } from 'vitest';
import { EMPTY_UNIT_HASH, shortHash, unitHash } from './hash.js';
import type { UnitOption } from './types.js';
import { normalizeUnitOptions } from './unit-file-normalize.js';
import { parseUnitFile } from './unit-file-parse.js';

const o = (section: string, name: string, value: string): UnitOption => ({ section, name, value });

describe('unitHash: fleet test vectors (§11.3, §12.61)', () => {
  it('hashes [Service] ExecStart=/bin/sleep 100 (fleet TestUnitHash)', () => {
    expect(unitHash([o('Service', 'ExecStart', '/bin/sleep 100')])).toBe(
      '1c6fb6f3684bafb0c173d8b8b957ceff031180c1',
    );
    expect(unitHash(parseUnitFile('[Service]\nExecStart=/bin/sleep 100\n'))).toBe(
      '1c6fb6f3684bafb0c173d8b8b957ceff031180c1',
    );
  });
  it('hashes a two-section unit', () => {
    expect(unitHash([o('Unit', 'Description', 'Hello'), o('Service', 'ExecStart', '/bin/sleep 100')])).toBe(
      'cf96eb9f64b04bb56ad64db2940dee7454c30f5b',
    );
  });
  it('hashes interleaved sections as their grouped serialisation', () => {
    expect(
      unitHash([
        o('Service', 'ExecStart', '/bin/sleep 100'),
        o('Unit', 'Description', 'Hello'),
        o('Service', 'Restart', 'always'),
      ]),
    ).toBe('b18d11df9ae19d627c619f796d7a6ddf6ed0f287');
  });
  it('hashes no options as SHA-1 of the empty string', () => {
    expect(unitHash([])).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(EMPTY_UNIT_HASH).toBe(unitHash([]));
  });
  it('shortHash is the first 7 characters', () => {
    expect(shortHash('1c6fb6f3684bafb0c173d8b8b957ceff031180c1')).toBe('1c6fb6f');
  });
  it('two orders with the same serialisation have the same hash (§12.47)', () => {
    const a = [o('Service', 'A', '1'), o('Unit', 'B', '2'), o('Service', 'C', '3')];
    const b = [o('Service', 'A', '1'), o('Service', 'C', '3'), o('Unit', 'B', '2')];
    expect(unitHash(a)).toBe(unitHash(b));
    expect(normalizeUnitOptions(a)).toEqual(b);
  });
  it('whitespace in values changes the hash until normalised (§7.3)', () => {
    const padded = [o('Service', 'ExecStart', ' /bin/sleep 100 ')];
    expect(unitHash(padded)).not.toBe('1c6fb6f3684bafb0c173d8b8b957ceff031180c1');
    expect(unitHash(normalizeUnitOptions(padded))).toBe('1c6fb6f3684bafb0c173d8b8b957ceff031180c1');
  });
});

describe('normalizeUnitOptions (§7.3)', () => {
  it('groups by section in first-seen order, keeps order within a section, trims names and values', () => {
    expect(
      normalizeUnitOptions([
        o('Service', ' ExecStart ', '  /bin/a  '),
        o('Unit', 'Description', 'd\t'),
        o('Service', 'ExecStart', '/bin/b'),
        o('X-Fleet', 'Conflicts', 'x*'),
        o('Unit', 'After', 'y'),
      ]),
    ).toEqual([
      o('Service', 'ExecStart', '/bin/a'),
      o('Service', 'ExecStart', '/bin/b'),
      o('Unit', 'Description', 'd'),
      o('Unit', 'After', 'y'),
      o('X-Fleet', 'Conflicts', 'x*'),
    ]);
  });
  it('is what the etcd registry re-parse gives back, quirks included', () => {
    // a value ending in a backslash swallows the next option line
    expect(normalizeUnitOptions([o('S', 'A', 'x \\'), o('S', 'B', 'y')])).toEqual([o('S', 'A', 'x \\\nB=y')]);
    // a name containing = splits at the first =
    expect(normalizeUnitOptions([o('S', 'a=b', 'c')])).toEqual([o('S', 'a', 'b=c')]);
  });
  it('settles values whose re-parse is not stable on its own', () => {
    // fleet reads `A=\\ ` back as `\\`, and that back as a continuation `\\` + newline
    const settled = normalizeUnitOptions([o('S', 'A', '\\ ')]);
    expect(settled).toEqual([o('S', 'A', '\\\n')]);
    expect(normalizeUnitOptions(settled)).toEqual(settled);
  });
  it('is idempotent, also for options fleet would reject', () => {
    const cases: UnitOption[][] = [
      [o('Service', 'A', ' 1 '), o('Unit', 'B', '2'), o('Service', 'C', '3')],
      [o('S', 'A', 'x \\'), o('S', 'B', 'y')],
      [o('S', 'A', 'foo\nbar')],
      [o('S]x', 'A', '1')],
      [o('S', 'A', ` ${'x'.repeat(3000)} `)],
      [],
    ];
    for (const options of cases) {
      const once = normalizeUnitOptions(options);
      expect(normalizeUnitOptions(once)).toEqual(once);
    }
  });
  it('does not change its input', () => {
    const input = [o('S', 'A', ' 1 ')];
    normalizeUnitOptions(input);
    expect(input).toEqual([o('S', 'A', ' 1 ')]);
  });
});
