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

describe('goSystemdDeserialize: the 2048-byte line check runs only while bufio holds 2048 bytes', () => {
  // go-systemd checks `l.buf.Buffered() >= SYSTEMD_LINE_MAX` before every step; its bufio.Reader
  // has 4096 bytes and fills only when it runs dry, so deep into a buffer the check is skipped.
  const short = Array.from({ length: 150 }, () => `A=${'x'.repeat(18)}\n`).join(''); // 150 × 21 bytes
  const long = `ExecStart=${'y'.repeat(2100)}\n`;

  it('rejects a long line while 2048 bytes or more are buffered', () => {
    expect(goSystemdDeserialize(`[Service]\n${long}${short}`).error).toEqual({
      message: 'line too long (max 2048 bytes)',
      line: 2,
    });
  });

  it('lets the same line through when it starts 3160 bytes in (936 bytes left in the buffer)', () => {
    const result = goSystemdDeserialize(`[Service]\n${short}${long}`);
    expect(result.error).toBeUndefined();
    expect(result.options).toHaveLength(151);
    expect(result.options[150]?.value).toBe('y'.repeat(2100));
  });

  it('checks again after a refill: a long line at the start of the next 4096-byte window fails', () => {
    // 10 + 195 × 21 = 4105: the first fill (4096 bytes) runs dry inside line 196; reading it refills
    // the buffer to 4096 bytes from there, so the long line after it is checked again.
    const lines = Array.from({ length: 195 }, () => `A=${'x'.repeat(18)}\n`).join('');
    expect(goSystemdDeserialize(`[Service]\n${lines}${long}`).error).toEqual({
      message: 'line too long (max 2048 bytes)',
      line: 197,
    });
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
