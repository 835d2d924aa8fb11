import { describe, expect, it } from 'vitest';
import { isValidPathPattern, pathMatch } from './glob.js';

// Go's src/path/match_test.go matchTests: [pattern, name, matched, badPattern]
const goMatchTests: [string, string, boolean, boolean][] = [
  ['abc', 'abc', true, false],
  ['*', 'abc', true, false],
  ['*c', 'abc', true, false],
  ['a*', 'a', true, false],
  ['a*', 'abc', true, false],
  ['a*', 'ab/c', false, false],
  ['a*/b', 'abc/b', true, false],
  ['a*/b', 'a/c/b', false, false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true, false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true, false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false, false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false, false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true, false],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false, false],
  ['ab[c]', 'abc', true, false],
  ['ab[b-d]', 'abc', true, false],
  ['ab[e-g]', 'abc', false, false],
  ['ab[^c]', 'abc', false, false],
  ['ab[^b-d]', 'abc', false, false],
  ['ab[^e-g]', 'abc', true, false],
  ['a\\*b', 'a*b', true, false],
  ['a\\*b', 'ab', false, false],
  ['a?b', 'a☺b', true, false],
  ['a[^a]b', 'a☺b', true, false],
  ['a???b', 'a☺b', false, false],
  ['a[^a][^a][^a]b', 'a☺b', false, false],
  ['[a-ζ]*', 'α', true, false],
  ['*[a-ζ]', 'A', false, false],
  ['a?b', 'a/b', false, false],
  ['a*b', 'a/b', false, false],
  ['[\\]a]', ']', true, false],
  ['[\\-]', '-', true, false],
  ['[x\\-]', 'x', true, false],
  ['[x\\-]', '-', true, false],
  ['[x\\-]', 'z', false, false],
  ['[\\-x]', 'x', true, false],
  ['[\\-x]', '-', true, false],
  ['[\\-x]', 'a', false, false],
  ['[]a]', ']', false, true],
  ['[-]', '-', false, true],
  ['[x-]', 'x', false, true],
  ['[x-]', '-', false, true],
  ['[x-]', 'z', false, true],
  ['[-x]', 'x', false, true],
  ['[-x]', '-', false, true],
  ['[-x]', 'a', false, true],
  ['\\', 'a', false, true],
  ['[a-b-c]', 'a', false, true],
  ['[', 'a', false, true],
  ['[^', 'a', false, true],
  ['[^bc', 'a', false, true],
  ['a[', 'a', false, true],
  ['a[', 'ab', false, true],
  ['a[', 'x', false, true],
  ['a/b[', 'x', false, true],
  ['*x', 'xxx', true, false],
];

describe('pathMatch: Go path.Match test table', () => {
  it.each(goMatchTests)('Match(%j, %j) = %s (bad pattern: %s)', (pattern, name, matched, bad) => {
    expect(pathMatch(pattern, name)).toBe(matched);
    expect(isValidPathPattern(pattern)).toBe(!bad);
  });
});

describe('pathMatch on unit names (fleet Conflicts/Replaces)', () => {
  it.each([
    ['b*e', 'bar.service', true],
    ['b*e', 'foo.service', false],
    ['web@*.service', 'web@1.service', true],
    ['web@*.service', 'web@.service', true],
    ['web@*.service', 'web.service', false],
    ['conflict.*.service', 'conflict.3.service', true],
    ['web@[0-9].service', 'web@7.service', true],
    ['web@[0-9].service', 'web@10.service', false],
    ['', '', true],
    ['', 'a', false],
  ])('%j vs %j → %s', (pattern, name, matched) => {
    expect(pathMatch(pattern, name)).toBe(matched);
  });

  it('matches on UTF-8 bytes as Go does (star may split a multi-byte character)', () => {
    expect(pathMatch('*??', '☺')).toBe(true);
  });
});
