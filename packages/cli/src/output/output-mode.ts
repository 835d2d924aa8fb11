import { UsageError } from '../usage-error.js';

export type OutputFormat = 'text' | 'json' | 'ndjson';

/** How a command writes, decided once from the flags, the environment and the terminal. */
export interface OutputMode {
  format: OutputFormat;
  /** Redraw live progress in place (listr2): text format, stdout is a TTY, not quiet. */
  live: boolean;
  /** Use colours (text format only; NO_COLOR and --no-color turn them off). */
  color: boolean;
  verbose: boolean;
  quiet: boolean;
}

export interface OutputFlags {
  json?: boolean;
  output?: OutputFormat;
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** Pure: the output mode for these flags, environment and terminal. Throws UsageError on conflicts. */
export function resolveOutputMode(
  flags: OutputFlags,
  env: Record<string, string | undefined>,
  stdoutIsTTY: boolean,
): OutputMode {
  if (flags.json && flags.output && flags.output !== 'json') {
    throw new UsageError(`--json conflicts with --output ${flags.output}`, {
      hint: 'give one of them: --json is the same as --output json',
    });
  }
  if (flags.quiet && flags.verbose) {
    throw new UsageError('--quiet conflicts with --verbose', { hint: 'give at most one of them' });
  }
  const format: OutputFormat = flags.json ? 'json' : (flags.output ?? 'text');
  const noColor = (env.NO_COLOR ?? '') !== '' || flags.color === false;
  const forceColor = flags.color === true || ((env.FORCE_COLOR ?? '') !== '' && env.FORCE_COLOR !== '0');
  return {
    format,
    live: format === 'text' && stdoutIsTTY && !flags.quiet && env.TERM !== 'dumb',
    color: format === 'text' && !noColor && (stdoutIsTTY || forceColor),
    verbose: Boolean(flags.verbose),
    quiet: Boolean(flags.quiet),
  };
}

/**
 * The format asked for, read from raw argv and environment; used to render an error that
 * happened before (or while) the flags were parsed.
 */
export function guessFormat(argv: readonly string[], env: Record<string, string | undefined>): OutputFormat {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--json') return 'json';
    if (a === '--output' || a === '-o') {
      const v = argv[i + 1];
      if (v === 'json' || v === 'ndjson') return v;
    }
    if (a === '--output=json' || a === '-o=json') return 'json';
    if (a === '--output=ndjson' || a === '-o=ndjson') return 'ndjson';
  }
  if (['1', 'true', 'yes'].includes((env.FS_JSON ?? '').toLowerCase())) return 'json';
  if (env.FS_OUTPUT === 'json' || env.FS_OUTPUT === 'ndjson') return env.FS_OUTPUT;
  return 'text';
}
