import { describe, expect, it } from 'vitest';
import { normalizeArgv } from './argv.js';

describe('normalizeArgv', () => {
  it('moves the old fs global flags from before the command to just after it', () => {
    expect(
      normalizeArgv([
        '--fleetctl-endpoint',
        'http://10.0.0.1:49153',
        '--timeout',
        '600',
        'create',
        'web',
        'web.service',
        '--count',
        '3',
      ]),
    ).toEqual([
      'create',
      '--fleetctl-endpoint',
      'http://10.0.0.1:49153',
      '--timeout',
      '600',
      'web',
      'web.service',
      '--count',
      '3',
    ]);
  });

  it('keeps flags after the command where they are', () => {
    const argv = ['create', 'web', 'web.service', '--endpoint', 'unix:///x.sock', '--count', '3'];
    expect(normalizeArgv(argv)).toEqual(argv);
  });

  it('handles --flag=value, boolean globals and short flags', () => {
    expect(normalizeArgv(['--endpoint=http://h:1', '--json', '-q', 'ls'])).toEqual([
      'ls',
      '--endpoint=http://h:1',
      '--json',
      '-q',
    ]);
  });

  it('accepts the old -v LEVEL: 0 drops it, more keeps --verbose', () => {
    expect(normalizeArgv(['-v', '2', 'destroy', 'web'])).toEqual(['destroy', '--verbose', 'web']);
    expect(normalizeArgv(['-v', '0', 'destroy', 'web'])).toEqual(['destroy', 'web']);
    expect(normalizeArgv(['-v', 'destroy', 'web'])).toEqual(['destroy', '-v', 'web']);
  });

  it('puts moved flags before a `--` separator, not after', () => {
    expect(normalizeArgv(['--json', 'create', 'web', 'f', '--', '--x'])).toEqual([
      'create',
      '--json',
      'web',
      'f',
      '--',
      '--x',
    ]);
  });

  it('leaves argv alone when an unknown flag precedes the command, or there is no command', () => {
    expect(normalizeArgv(['--bogus', 'create'])).toEqual(['--bogus', 'create']);
    expect(normalizeArgv(['--help'])).toEqual(['--help']);
    expect(normalizeArgv(['--json'])).toEqual(['--json']);
    expect(normalizeArgv(['--endpoint'])).toEqual(['--endpoint']);
    expect(normalizeArgv([])).toEqual([]);
  });
});
