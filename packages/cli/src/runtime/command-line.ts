/** Quotes one argument for a POSIX shell, only when needed. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command line that reruns this invocation (used in "resume with:" hints). */
export function rerunCommand(argv: readonly string[]): string {
  return ['fs', ...argv].map(shellQuote).join(' ');
}
