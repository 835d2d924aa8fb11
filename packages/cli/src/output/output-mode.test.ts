import { describe, expect, it } from 'vitest';
import { guessFormat, resolveOutputMode } from './output-mode.js';

describe('resolveOutputMode', () => {
  it('text in a terminal is live and coloured', () => {
    expect(resolveOutputMode({}, {}, true)).toEqual({
      format: 'text',
      live: true,
      color: true,
      verbose: false,
      quiet: false,
    });
  });

  it('text in a pipe is plain lines without colour', () => {
    expect(resolveOutputMode({}, {}, false)).toMatchObject({ format: 'text', live: false, color: false });
  });

  it('NO_COLOR and --no-color turn colours off; FORCE_COLOR turns them on in a pipe', () => {
    expect(resolveOutputMode({}, { NO_COLOR: '1' }, true).color).toBe(false);
    expect(resolveOutputMode({ color: false }, {}, true).color).toBe(false);
    expect(resolveOutputMode({}, { FORCE_COLOR: '1' }, false).color).toBe(true);
    expect(resolveOutputMode({}, { FORCE_COLOR: '0' }, false).color).toBe(false);
  });

  it('--json and --output json/ndjson are never live nor coloured', () => {
    expect(resolveOutputMode({ json: true }, {}, true)).toMatchObject({
      format: 'json',
      live: false,
      color: false,
    });
    expect(resolveOutputMode({ output: 'ndjson' }, {}, true)).toMatchObject({
      format: 'ndjson',
      live: false,
    });
    expect(resolveOutputMode({ json: true, output: 'json' }, {}, false).format).toBe('json');
  });

  it('--quiet is not live; TERM=dumb is not live', () => {
    expect(resolveOutputMode({ quiet: true }, {}, true).live).toBe(false);
    expect(resolveOutputMode({}, { TERM: 'dumb' }, true).live).toBe(false);
  });

  it('refuses conflicting flags', () => {
    expect(() => resolveOutputMode({ json: true, output: 'ndjson' }, {}, false)).toThrow(
      '--json conflicts with --output ndjson',
    );
    expect(() => resolveOutputMode({ quiet: true, verbose: true }, {}, false)).toThrow(
      '--quiet conflicts with --verbose',
    );
  });
});

describe('guessFormat (for errors before the flags are parsed)', () => {
  it.each([
    [['create', '--json'], {}, 'json'],
    [['create', '--output', 'ndjson'], {}, 'ndjson'],
    [['create', '-o', 'json'], {}, 'json'],
    [['create', '--output=ndjson'], {}, 'ndjson'],
    [['create', '--', '--json'], {}, 'text'],
    [['create'], { FS_JSON: 'true' }, 'json'],
    [['create'], { FS_OUTPUT: 'ndjson' }, 'ndjson'],
    [['create'], {}, 'text'],
  ] as const)('%j %j → %s', (argv, env, format) => {
    expect(guessFormat(argv, env)).toBe(format);
  });
});
