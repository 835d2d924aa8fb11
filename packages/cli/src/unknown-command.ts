import { suggestCommand } from './command-suggestion.js';
import { ExitCode } from './exit-codes.js';
import { guessFormat } from './output/output-mode.js';
import { buildErrorReport } from './render/error-report.js';
import { printErrorReport } from './render/print-error.js';
import { UsageError } from './usage-error.js';

/**
 * The usage error for a word where a command should be (`''`: flags but no command). The hint
 * suggests the closest command, if any is close, and where the list of commands is.
 */
export function unknownCommandError(word: string, commands: readonly string[]): UsageError {
  if (word === '') {
    return new UsageError('no command given', {
      hint: 'name a command, e.g. fs create; fs --help lists them',
    });
  }
  const suggestion = suggestCommand(word, commands);
  const list = 'fs --help lists every command';
  return new UsageError(`unknown command "${word}"`, {
    hint: suggestion ? `did you mean ${suggestion}? (fs ${suggestion} --help); ${list}` : list,
  });
}

/**
 * Prints {@link unknownCommandError} as fs prints every error (text on stderr, or the JSON document
 * / NDJSON line when argv or the environment asks for it) and sets exit code 2.
 */
export function reportUnknownCommand(
  word: string,
  commands: readonly string[],
  argv: readonly string[],
): void {
  const env = process.env;
  const error = unknownCommandError(word, commands);
  const report = buildErrorReport(error, { exitCode: ExitCode.USAGE });
  const color = Boolean(process.stderr.isTTY) && env.NO_COLOR === undefined && !argv.includes('--no-color');
  printErrorReport(report, { format: guessFormat(argv, env), color, verbose: false });
  process.exitCode = ExitCode.USAGE;
}
