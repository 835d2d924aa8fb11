import type { ArgvTable, FlagArity } from './argv.js';

/** The parts of an oclif flag definition the argv scan needs. */
interface FlagShape {
  type: 'boolean' | 'option';
  char?: string;
  aliases?: readonly string[];
  charAliases?: readonly string[];
  allowNo?: boolean;
}

/** The parts of an oclif command class the argv scan needs. */
export interface CommandShape {
  aliases?: readonly string[];
  hiddenAliases?: readonly string[];
  flags?: Readonly<Record<string, unknown>>;
  baseFlags?: Readonly<Record<string, unknown>>;
}

/** Flags oclif itself answers anywhere on the line. */
const OCLIF_FLAGS: ReadonlyArray<[string, FlagArity]> = [
  ['--help', 'boolean'],
  ['-h', 'boolean'],
  ['--version', 'boolean'],
];

/**
 * The full argv table of a set of commands (id → command class): every id and alias (hidden ones too), and every
 * flag token any of them accepts with its arity. A token whose arity differs between commands is
 * left out (the scan then guesses from what follows it). Pure.
 */
export function argvTableOf(commands: Readonly<Record<string, CommandShape>>): Required<ArgvTable> {
  const ids = new Set<string>();
  const flags = new Map<string, FlagArity>(OCLIF_FLAGS);
  const ambiguous = new Set<string>();
  const add = (token: string, kind: FlagArity) => {
    const seen = flags.get(token);
    if (seen !== undefined && seen !== kind) ambiguous.add(token);
    flags.set(token, kind);
  };
  for (const [id, command] of Object.entries(commands)) {
    ids.add(id);
    for (const alias of [...(command.aliases ?? []), ...(command.hiddenAliases ?? [])]) ids.add(alias);
    for (const [name, def] of Object.entries({ ...command.baseFlags, ...command.flags })) {
      const flag = def as FlagShape;
      const kind: FlagArity = flag.type === 'boolean' ? 'boolean' : 'value';
      for (const long of [name, ...(flag.aliases ?? [])]) {
        add(`--${long}`, kind);
        if (flag.allowNo) add(`--no-${long}`, 'boolean');
      }
      for (const char of [flag.char, ...(flag.charAliases ?? [])]) if (char) add(`-${char}`, kind);
    }
  }
  for (const token of ambiguous) flags.delete(token);
  return { commands: ids, flags };
}
