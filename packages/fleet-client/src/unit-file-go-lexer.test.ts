import { describe, expect, it } from 'vitest';
import { goSystemdDeserialize, goTrimSpace, isGoSpace } from './unit-file-go-lexer.js';

describe('goSystemdDeserialize: go-systemd quirks fleet v1.0 lives with', () => {
  it('skips text before the first section', () => {
    expect(goSystemdDeserialize('junk line\n[S]\nA=1\n')).toEqual({
      options: [{ section: 'S', name: 'A', value: '1' }],
    });
  });
  it('lets a section name span lines', () => {
    expect(goSystemdDeserialize('[Se\nct]\nA=1\n').options).toEqual([
      { section: 'Se\nct', name: 'A', value: '1' },
    ]);
  });
  it('reports an unterminated section', () => {
    expect(goSystemdDeserialize('[S]\nA=1\n[Oops\n').error).toEqual({
      message: 'unable to find end of section',
      line: 3,
    });
  });
  it('formats garbage after a section as Go prints a byte slice, with the never-set section field', () => {
    expect(goSystemdDeserialize('[Se]ct]\nA=1\n').error).toEqual({
      message: 'found garbage after section name : [99 116 93]',
      line: 1,
    });
  });
  it('fails on a line break inside an option name', () => {
    expect(goSystemdDeserialize('[S]\nA=foo\nbar\n').error).toEqual({
      message: 'unexpected newline encountered while parsing option name',
      line: 3,
    });
  });
  it('fails with EOF on a final option line without =', () => {
    expect(goSystemdDeserialize('[S]\nA').error?.message).toBe('EOF');
  });
  it('keeps the \\r of a CRLF line (it trims \\r before \\n), so CRLF breaks continuations', () => {
    expect(goSystemdDeserialize('[S]\r\nA=x \\\r\nB=y\r\n').options).toEqual([
      { section: 'S', name: 'A', value: 'x \\' },
      { section: 'S', name: 'B', value: 'y' },
    ]);
  });
  it('an option name may contain spaces and = splits at the first =', () => {
    expect(goSystemdDeserialize('[S]\n My Name = a=b \n').options).toEqual([
      { section: 'S', name: 'My Name', value: 'a=b' },
    ]);
  });
});

describe('Go whitespace helpers', () => {
  it('follow unicode.IsSpace, not JavaScript \\s', () => {
    expect(isGoSpace('\u0085')).toBe(true);
    expect(isGoSpace('\u00a0')).toBe(true);
    expect(isGoSpace('\ufeff')).toBe(false);
    expect(goTrimSpace('\u0085 x \t\v\f\r\n')).toBe('x');
    expect(goTrimSpace('\ufeffx')).toBe('\ufeffx');
  });
});
