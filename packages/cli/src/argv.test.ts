import { describe, expect, it } from 'vitest';
import { normalizeArgv, resolveCommandLine } from './argv.js';
import { COMMANDS } from './command-map.js';
import { argvTableOf } from './command-table.js';

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

describe('normalizeArgv with every command flag (defect 6)', () => {
  const table = argvTableOf(COMMANDS);

  it('moves any flag of the command, with or without a value, before the command to after it', () => {
    expect(normalizeArgv(['--count', '3', 'create', 'web', 'w.service'], table)).toEqual([
      'create',
      '--count',
      '3',
      'web',
      'w.service',
    ]);
    expect(
      normalizeArgv(['-c', '2', '--force', '--max-surge=1', '-o', 'json', 'plan', 'web', 'w.service'], table),
    ).toEqual(['plan', '-c', '2', '--force', '--max-surge=1', '-o', 'json', 'web', 'w.service']);
    expect(normalizeArgv(['-c3', '--no-color', 'create', 'web', 'f'], table)).toEqual([
      'create',
      '-c3',
      '--no-color',
      'web',
      'f',
    ]);
  });

  it('guesses a flag no command knows from what follows it (oclif then reports it)', () => {
    expect(normalizeArgv(['--bogus', 'create', 'web'], table)).toEqual(['create', '--bogus', 'web']);
    expect(normalizeArgv(['--bogus', 'x', 'create', 'web'], table)).toEqual([
      'create',
      '--bogus',
      'x',
      'web',
    ]);
  });

  it('leaves `--` and what follows it alone', () => {
    expect(normalizeArgv(['--', 'create'], table)).toEqual(['--', 'create']);
    expect(normalizeArgv(['--json', '--', 'create'], table)).toEqual(['--json', '--', 'create']);
  });
});

describe('resolveCommandLine', () => {
  const table = argvTableOf(COMMANDS);

  it('finds the command after any flags, and knows aliases', () => {
    expect(resolveCommandLine(['--count', '3', 'create', 'web', 'f'], table)).toEqual({
      argv: ['create', '--count', '3', 'web', 'f'],
    });
    expect(resolveCommandLine(['--json', 'ls'], table)).toEqual({ argv: ['ls', '--json'] });
  });

  it('reports the word in the command position when it is no command', () => {
    expect(resolveCommandLine(['deploy', 'web', 'x.service'], table).unknownCommand).toBe('deploy');
    expect(resolveCommandLine(['--count', '3', 'deploy', 'web'], table).unknownCommand).toBe('deploy');
    expect(resolveCommandLine(['--help', 'deploy'], table).unknownCommand).toBe('deploy');
    expect(resolveCommandLine(['help', 'deploy'], table).unknownCommand).toBe('deploy');
  });

  it("reports flags with no command as '' but leaves help, version and bare fs to oclif", () => {
    expect(resolveCommandLine(['--count', '3'], table).unknownCommand).toBe('');
    expect(resolveCommandLine(['--json'], table).unknownCommand).toBe('');
    for (const argv of [[], ['--help'], ['-h'], ['--version'], ['help'], ['help', 'create']]) {
      expect(resolveCommandLine(argv, table).unknownCommand).toBeUndefined();
    }
  });
});
