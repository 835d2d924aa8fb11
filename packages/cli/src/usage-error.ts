/**
 * Bad input found by the CLI before it talks to fleet: a flag value, a file, a combination of flags.
 * Exits with code 2 (see exit-codes.ts).
 */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code: string = 'ERR_USAGE';
  /** A hint printed under the message, e.g. the flag that fixes it. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown; code?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    if (options.code) this.code = options.code;
  }
}
