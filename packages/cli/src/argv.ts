/**
 * The old fs took its global options BEFORE the command:
 *   fs --fleetctl-endpoint http://10.0.0.1:49153 --timeout 600 create web web.service --count 3
 * oclif only accepts flags after the command id, so bin/run.js passes argv through
 * `normalizeArgv` first: known global flags that precede the command are moved right after it.
 * Anything it does not recognise is left exactly where it was (oclif then reports it).
 */

/** Global flags that may precede the command: name → takes a value. */
export const GLOBAL_FLAGS_BEFORE_COMMAND: ReadonlyMap<string, boolean> = new Map([
  ['--endpoint', true],
  ['--fleetctl-endpoint', true],
  ['--ca-file', true],
  ['--cert-file', true],
  ['--key-file', true],
  ['--request-timeout', true],
  ['--timeout', true],
  ['--output', true],
  ['-o', true],
  ['--json', false],
  ['--no-color', false],
  ['--color', false],
  ['--verbose', false],
  ['-v', false],
  ['--quiet', false],
  ['-q', false],
]);

/**
 * Moves known global flags that come before the command id to just after it.
 * The old fs's `-v LEVEL` is accepted: a number right after `-v`/`--verbose` is a level,
 * 0 drops the flag, anything higher keeps `--verbose`.
 * Pure; returns a new array.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const token = argv[i]!;
    if (!token.startsWith('-') || token === '--' || token === '-') break;
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    const takesValue = GLOBAL_FLAGS_BEFORE_COMMAND.get(name);
    if (takesValue === undefined) return [...argv]; // unknown flag before the command: leave as is
    if (takesValue && eq < 0) {
      const value = argv[i + 1];
      if (value === undefined) return [...argv];
      moved.push(token, value);
      i += 2;
      continue;
    }
    if ((name === '-v' || name === '--verbose') && eq < 0 && /^\d+$/.test(argv[i + 1] ?? '')) {
      if (Number(argv[i + 1]) > 0) moved.push('--verbose');
      i += 2;
      continue;
    }
    moved.push(token);
    i += 1;
  }
  if (i === 0 || i >= argv.length) return [...argv];
  const command = argv[i]!;
  if (command === '--' || command === '-') return [...argv];
  return [command, ...moved, ...argv.slice(i + 1)];
}
