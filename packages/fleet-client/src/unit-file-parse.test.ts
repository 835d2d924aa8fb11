import { describe, expect, it } from 'vitest';
import type { UnitOption } from './types.js';
import { isUnitFileSyntaxError, UnitFileSyntaxError } from './unit-file-error.js';
import { goSystemdDeserialize } from './unit-file-go-lexer.js';
import { parseUnitFile } from './unit-file-parse.js';
import { serializeUnitFile } from './unit-file-serialize.js';

const o = (section: string, name: string, value: string): UnitOption => ({ section, name, value });

function problemsOf(text: string, source?: string): UnitFileSyntaxError {
  try {
    parseUnitFile(text, source === undefined ? {} : { source });
  } catch (error) {
    expect(isUnitFileSyntaxError(error)).toBe(true);
    return error as UnitFileSyntaxError;
  }
  throw new Error('expected parseUnitFile to throw');
}

describe('parseUnitFile', () => {
  it('parses sections, options and repeated keys in order', () => {
    const text = [
      '[Unit]',
      'Description=web %i',
      'After=docker.service',
      '',
      '[Service]',
      'ExecStartPre=-/usr/bin/docker kill web',
      'ExecStartPre=-/usr/bin/docker rm web',
      'ExecStart=/usr/bin/docker run --name web nginx',
      '',
      '[X-Fleet]',
      'Conflicts=web@*.service',
      '',
    ].join('\n');
    expect(parseUnitFile(text)).toEqual([
      o('Unit', 'Description', 'web %i'),
      o('Unit', 'After', 'docker.service'),
      o('Service', 'ExecStartPre', '-/usr/bin/docker kill web'),
      o('Service', 'ExecStartPre', '-/usr/bin/docker rm web'),
      o('Service', 'ExecStart', '/usr/bin/docker run --name web nginx'),
      o('X-Fleet', 'Conflicts', 'web@*.service'),
    ]);
  });

  it('returns [] for an empty file, blank lines or only comments', () => {
    expect(parseUnitFile('')).toEqual([]);
    expect(parseUnitFile('\n\n  \n')).toEqual([]);
    expect(parseUnitFile('# just a comment\n; another\n')).toEqual([]);
    expect(parseUnitFile('[Unit]\n')).toEqual([]);
  });

  it('skips # and ; comments, also indented ones, but keeps # inside values', () => {
    const text =
      '# header\n[Service]\n  ; indented comment\nExecStart=/bin/echo a # not a comment\n#Restart=always\n';
    expect(parseUnitFile(text)).toEqual([o('Service', 'ExecStart', '/bin/echo a # not a comment')]);
  });

  it('a comment ending in a backslash swallows the next line (go-systemd)', () => {
    const text = '[Service]\n# comment \\\nHidden=yes\nShown=yes\n';
    expect(parseUnitFile(text)).toEqual([o('Service', 'Shown', 'yes')]);
    expect(parseUnitFile(text)).toEqual(goSystemdDeserialize(text).options);
  });

  it('trims names and values, keeps inner whitespace and = in values', () => {
    const text = '[Service]\n  Environment =  A=1 B=2  \t\nExecStart=\n';
    expect(parseUnitFile(text)).toEqual([
      o('Service', 'Environment', 'A=1 B=2'),
      o('Service', 'ExecStart', ''),
    ]);
  });

  it('keeps the backslash and newline of a continued value (go-systemd deserialize.go)', () => {
    const text = '[Service]\nExecStart=/bin/sh -c \\\n    "echo hi" \\\n    --flag\nRestart=always\n';
    const expected = [
      o('Service', 'ExecStart', '/bin/sh -c \\\n    "echo hi" \\\n    --flag'),
      o('Service', 'Restart', 'always'),
    ];
    expect(parseUnitFile(text)).toEqual(expected);
    expect(goSystemdDeserialize(text)).toEqual({ options: expected });
  });

  it('a blank line ends a continued value and the newline is kept', () => {
    const text = '[Service]\nExecStart=/bin/true \\\n\nRestart=always\n';
    const expected = [o('Service', 'ExecStart', '/bin/true \\\n'), o('Service', 'Restart', 'always')];
    expect(parseUnitFile(text)).toEqual(expected);
    expect(goSystemdDeserialize(text).options).toEqual(expected);
  });

  it('a continuation on the last line without newline keeps only the backslash', () => {
    expect(parseUnitFile('[Service]\nExecStart=/bin/true \\')).toEqual([
      o('Service', 'ExecStart', '/bin/true \\'),
    ]);
    expect(parseUnitFile('[Service]\nExecStart=/bin/true \\\n')).toEqual([
      o('Service', 'ExecStart', '/bin/true \\\n'),
    ]);
  });

  it('a backslash followed by a space is not a continuation', () => {
    expect(parseUnitFile('[S]\nA=x \\ \nB=y\n')).toEqual([o('S', 'A', 'x \\'), o('S', 'B', 'y')]);
  });

  it('accepts CRLF line ends', () => {
    const text = '[Unit]\r\nDescription=Hello\r\n\r\n[Service]\r\nExecStart=/bin/sleep 100\r\n';
    expect(parseUnitFile(text)).toEqual([
      o('Unit', 'Description', 'Hello'),
      o('Service', 'ExecStart', '/bin/sleep 100'),
    ]);
  });

  it('skips a UTF-8 byte-order mark before the first section, as go-systemd does', () => {
    const text = '\uFEFF[Service]\nExecStart=/bin/true\n';
    expect(parseUnitFile(text)).toEqual([o('Service', 'ExecStart', '/bin/true')]);
    expect(goSystemdDeserialize(text)).toEqual({ options: [o('Service', 'ExecStart', '/bin/true')] });
  });

  it('accepts a file without a final newline and section headers with surrounding spaces', () => {
    expect(parseUnitFile('  [Service]  \nExecStart=/bin/true')).toEqual([
      o('Service', 'ExecStart', '/bin/true'),
    ]);
  });

  it('reports every problem at once with source:line', () => {
    const text = [
      'Orphan=1', // 1: before any section
      '[Unit', // 2: unterminated
      'Description=ok', // 3
      '[Service] trailing', // 4: garbage
      'ExecStart /bin/true', // 5: missing =
      `Long=${'x'.repeat(2100)}`, // 6: too long
      'Fine=yes', // 7
    ].join('\n');
    const error = problemsOf(text, 'web@.service');
    expect(error).toBeInstanceOf(UnitFileSyntaxError);
    expect(error.code).toBe('ERR_UNIT_FILE_SYNTAX');
    expect(error.name).toBe('UnitFileSyntaxError');
    expect(error.source).toBe('web@.service');
    expect(error.problems.map((p) => p.line)).toEqual([1, 2, 4, 5, 6]);
    expect(error.problems[0]!.message).toBe('option "Orphan" appears before any [section] header');
    expect(error.problems[1]!.message).toMatch(/^unable to find end of section/);
    expect(error.problems[2]!.message).toBe('found garbage after section name Service: "trailing"');
    expect(error.problems[3]!.message).toBe('missing "=" in option line "ExecStart /bin/true"');
    expect(error.problems[4]!.message).toBe('line too long (max 2048 bytes): this line has 2105 bytes');
    for (const line of [1, 2, 4, 5, 6]) expect(error.message).toContain(`web@.service:${line}: `);
    expect(error.message).toMatch(/^cannot parse unit file web@\.service \(5 problems\):/);
  });

  it('uses a default source label', () => {
    expect(problemsOf('nope\n').message).toContain('<unit file>:1: ');
  });

  it('measures the line limit in bytes: 2047 is fine, 2048 is too long', () => {
    const ok = `[S]\nA=${'x'.repeat(2045)}\n`; // line 2 is 2047 bytes
    expect(parseUnitFile(ok)[0]!.value).toHaveLength(2045);
    expect(goSystemdDeserialize(ok).error).toBeUndefined();
    const tooLong = `[S]\nA=${'x'.repeat(2046)}\n`;
    expect(problemsOf(tooLong).problems).toEqual([
      { line: 2, message: 'line too long (max 2048 bytes): this line has 2048 bytes' },
    ]);
    expect(goSystemdDeserialize(tooLong).error).toEqual({
      message: 'line too long (max 2048 bytes)',
      line: 2,
    });
    const multiByte = `[S]\nA=${'é'.repeat(1023)}\n`; // 2 + 2046 bytes
    expect(problemsOf(multiByte).problems[0]!.line).toBe(2);
  });
});

describe('serializeUnitFile (§11.2)', () => {
  it('groups by section in first-seen order with one blank line between sections', () => {
    expect(
      serializeUnitFile([
        o('Service', 'ExecStart', '/bin/sleep 100'),
        o('Unit', 'Description', 'Hello'),
        o('Service', 'Restart', 'always'),
      ]),
    ).toBe('[Service]\nExecStart=/bin/sleep 100\nRestart=always\n\n[Unit]\nDescription=Hello\n');
  });
  it('serialises nothing as the empty string and writes values verbatim', () => {
    expect(serializeUnitFile([])).toBe('');
    expect(serializeUnitFile([o('S', 'A', '  x  '), o('S', 'B', '')])).toBe('[S]\nA=  x  \nB=\n');
  });
  it('round-trips through parseUnitFile', () => {
    const options = [
      o('Unit', 'Description', 'web'),
      o('Service', 'ExecStart', '/bin/sh -c \\\n  "sleep 1"'),
      o('Service', 'ExecStart', ''),
      o('X-Fleet', 'MachineMetadata', '"region=us" "disk=ssd"'),
    ];
    const text = serializeUnitFile(options);
    expect(parseUnitFile(text)).toEqual(options);
    expect(serializeUnitFile(parseUnitFile(text))).toBe(text);
  });
});
