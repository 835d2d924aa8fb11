/**
 * The old fs took its global options BEFORE the command:
 *   fs --fleetctl-endpoint http://10.0.0.1:49153 --timeout 600 create web web.service --count 3
 * and people write any option there (`fs --count 3 create web web.service`). oclif only accepts
 * flags after the command id, so the entry points pass argv through {@link normalizeArgv} first:
 * the flags that precede the command are moved right after it, in their order.
 *
 * Two tables drive it. {@link GLOBAL_ARGV_TABLE} (the old fs's globals, no command ids) is what the
 * entry points know before loading any command (for the help cache): a flag it does not know stops
 * the scan and argv is left as it was. The full table (every flag of every command and the command
 * ids, see command-table.ts) is used once the commands are loaded: it also finds an unknown command.
 *
 * This module imports nothing: `bin/run.js` loads it before deciding whether to load oclif.
 */

/** Whether a flag takes the next token as its value (`--count 3`) or stands alone (`--json`). */
export type FlagArity = 'value' | 'boolean';

/** What the argv scan knows: flag tokens (`--name`, `--alias`, `--no-name`, `-c`) and command ids. */
export interface ArgvTable {
  /** Arity per flag token; a token that takes a value in one command and not in another is absent. */
  flags: ReadonlyMap<string, FlagArity>;
  /**
   * Command ids and aliases. When given, a flag the table does not know is guessed (a value flag
   * unless the next token is a command) and a word in the command's place that is not one of these
   * is reported as unknown; when absent, an unknown flag leaves argv as it is.
   */
  commands?: ReadonlySet<string>;
}

/** Global flags that may precede the command: name → takes a value. */
export const GLOBAL_FLAGS_BEFORE_COMMAND: ReadonlyMap<string, boolean> = new Map([
  ['--endpoint', true],
  ['--fleetctl-endpoint', true],
  ['--ca-file', true],
  ['--cert-file', true],
  ['--key-file', true],
  ['--request-timeout', true],
  ['--timeout', true],
  // fleetctl's connection flags, which fleetctl users type before the command
  ['--tunnel', true],
  ['--ssh-username', true],
  ['--ssh-timeout', true],
  ['--ssh-identity-file', true],
  ['--strict-host-key-checking', true],
  ['--known-hosts-file', true],
  ['--socks-proxy', true],
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

/** The table the entry points use before any command is loaded: the old fs's globals. */
export const GLOBAL_ARGV_TABLE: ArgvTable = {
  flags: new Map(
    [...GLOBAL_FLAGS_BEFORE_COMMAND].map(([name, value]) => [name, value ? 'value' : 'boolean']),
  ),
};

/** Where the command is in argv, and the flags before it (already rewritten, e.g. `-v 0` dropped). */
export interface LocatedCommand {
  /** Index of the command word in argv, or argv.length when there is none. */
  index: number;
  /** The tokens before it, to be moved after it. */
  moved: string[];
}

/**
 * Finds the command word: the first token that is not a flag or a flag's value. Returns undefined
 * when the table cannot tell (a flag it does not know, and it has no command ids), or when `--`
 * or `-` comes first. The old fs's `-v LEVEL` is accepted: a number right after `-v`/`--verbose`
 * is a level, 0 drops the flag, anything higher keeps `--verbose`. Pure.
 */
export function locateCommand(argv: readonly string[], table: ArgvTable): LocatedCommand | undefined {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const token = argv[i]!;
    if (token === '--' || token === '-') return undefined;
    if (!token.startsWith('-')) break;
    const eq = token.indexOf('=');
    const attached = eq > 0 || isShortWithValue(token);
    const name = eq > 0 ? token.slice(0, eq) : attached ? token.slice(0, 2) : token;
    const next = argv[i + 1];
    if ((name === '-v' || name === '--verbose') && !attached && /^\d+$/.test(next ?? '')) {
      if (Number(next) > 0) moved.push('--verbose');
      i += 2;
      continue;
    }
    const kind = arity(table, name, next);
    if (kind === undefined) return undefined;
    if (kind === 'value' && !attached) {
      if (next === undefined) return undefined;
      moved.push(token, next);
      i += 2;
    } else {
      moved.push(token);
      i += 1;
    }
  }
  return { index: i, moved };
}

/** `-c3`: a short flag with its value attached. */
function isShortWithValue(token: string): boolean {
  return /^-[^-]./.test(token);
}

/** The arity of `name`; undefined = unknown to a table without command ids (stop). */
function arity(table: ArgvTable, name: string, next: string | undefined): FlagArity | undefined {
  const known = table.flags.get(name);
  if (known !== undefined) return known;
  if (!table.commands) return undefined;
  // a flag no command knows (or one whose arity differs between commands): a boolean when a
  // command follows it, else a flag with a value
  return next !== undefined && table.commands.has(next) ? 'boolean' : 'value';
}

/**
 * Moves the flags that come before the command id to just after it. Returns a new array; argv
 * unchanged when there is no command, or the table cannot tell where it is. Pure.
 */
export function normalizeArgv(argv: readonly string[], table: ArgvTable = GLOBAL_ARGV_TABLE): string[] {
  const found = locateCommand(argv, table);
  if (!found || found.index === 0 || found.index >= argv.length) return [...argv];
  return [argv[found.index]!, ...found.moved, ...argv.slice(found.index + 1)];
}

/** argv ready for oclif, or what stands where the command should. */
export interface CommandLine {
  /** argv with the flags before the command moved after it (unchanged when there is a problem). */
  argv: string[];
  /** A word that is no command id or alias, or `''` for flags with no command at all. */
  unknownCommand?: string;
}

/** The command whose argument is another command. */
const HELP_COMMAND = 'help';

/** Tokens oclif answers without a command (`fs --help`, `fs --version`). */
const ANSWERED_WITHOUT_COMMAND: ReadonlySet<string> = new Set(['--help', '-h', '--version']);

/**
 * {@link normalizeArgv} with the full table, and the check that the command exists: a word in the
 * command's place (or after `help`) that is no command id or alias comes back as `unknownCommand`, and so does `''`
 * when there are flags but no command (`fs --count 3`), unless oclif answers them (`--help`,
 * `--version`). Pure.
 */
export function resolveCommandLine(argv: readonly string[], table: Required<ArgvTable>): CommandLine {
  const found = locateCommand(argv, table);
  if (!found) return { argv: [...argv] };
  const word = argv[found.index];
  if (word === undefined) {
    const answered = argv.length === 0 || argv.some((a) => ANSWERED_WITHOUT_COMMAND.has(a));
    return answered ? { argv: [...argv] } : { argv: [...argv], unknownCommand: '' };
  }
  if (!table.commands.has(word)) return { argv: [...argv], unknownCommand: word };
  if (word === HELP_COMMAND) {
    // `fs help WORD`: WORD must be a command too
    const subject = argv.slice(found.index + 1).find((a) => !a.startsWith('-'));
    if (subject !== undefined && !table.commands.has(subject))
      return { argv: [...argv], unknownCommand: subject };
  }
  return { argv: normalizeArgv(argv, table) };
}
