/** The error thrown when unit-file text cannot be parsed. */

/** One syntax problem in a unit file. */
export interface UnitFileProblem {
  /** 1-based line number. */
  line: number;
  /** What is wrong, e.g. `missing "=" in option line "ExecStart /bin/true"`. */
  message: string;
}

/**
 * Unit-file text that fleet (go-systemd) would not read as written. Carries every problem
 * found, not only the first; the message lists them as `source:line: message`.
 */
export class UnitFileSyntaxError extends Error {
  override readonly name = 'UnitFileSyntaxError';
  /** Stable machine-readable code. */
  readonly code = 'ERR_UNIT_FILE_SYNTAX' as const;
  /** Where the text came from (a file path, or a label such as `<stdin>`). */
  readonly source: string;
  /** Every problem, in line order. */
  readonly problems: readonly UnitFileProblem[];

  constructor(source: string, problems: readonly UnitFileProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `\n  ${source}:${p.line}: ${p.message}`).join('');
    super(`cannot parse unit file ${source} (${count}):${lines}`, options);
    this.source = source;
    this.problems = Object.freeze([...problems]);
  }
}

/** Type guard for {@link UnitFileSyntaxError}. */
export function isUnitFileSyntaxError(error: unknown): error is UnitFileSyntaxError {
  return error instanceof UnitFileSyntaxError;
}
