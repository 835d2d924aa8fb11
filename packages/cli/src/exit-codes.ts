/**
 * Exit codes of `fs`, decided in one pure function. The README documents the same table.
 *
 * Precedence (first rule that applies wins):
 *   1. the user interrupted the run (first Ctrl-C, or SIGTERM)            → 130
 *   2. an error: the outermost error in its `cause` chain whose `code` is known decides
 *      (so a RolledBackError caused by a state timeout exits 7, not 5):
 *        usage / bad input (flags, unit file, service name, spec, endpoint syntax) → 2
 *        lock held by someone else, lock lost, cluster drifted                     → 9
 *        fleet unreachable, request timeout, endpoint is not fleet                 → 3
 *        fleet rejected a request / server error / bad response                    → 4
 *        rolled back                                                               → 7
 *        state timeout, progress deadline                                          → 5
 *        instance failed and the rollout aborted or paused                         → 6
 *      an error with no known code falls back to the result's outcome, else       → 1
 *   3. no error: the result's outcome: succeeded/unchanged → 0, rolled-back → 7,
 *      aborted/paused/failed → 6; no result → 0.
 */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  FLEET_UNREACHABLE: 3,
  FLEET_REJECTED: 4,
  TIMEOUT: 5,
  INSTANCE_FAILED: 6,
  ROLLED_BACK: 7,
  LOCK_HELD: 9,
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What the exit code is decided from. */
export interface ExitInput {
  /** The error the command ended with, if any. */
  error?: unknown;
  /** The outcome of a rollout result, if the command produced one. */
  outcome?: string;
  /** `true` when the run was stopped by the user (first Ctrl-C). */
  interrupted?: boolean;
}

/** Error codes per exit code, in precedence order. */
const CODE_TABLE: ReadonlyArray<readonly [ExitCodeValue, ReadonlySet<string>]> = [
  [
    ExitCode.USAGE,
    new Set([
      'ERR_USAGE',
      'ERR_UNIT_FILE_SYNTAX',
      'ERR_UNIT_FILE_READ',
      'ERR_INVALID_UNIT_NAME',
      'ERR_INVALID_UNIT_OPTIONS',
      'ERR_ROLLOUT_INVALID_SPEC',
      'ERR_ROLLOUT_UNSUPPORTED',
      'ERR_FLEET_INVALID_ENDPOINT',
      'ERR_FLEET_INVALID_OPTIONS',
      'ERR_FLEET_INVALID_UNIT',
      'ERR_ROLLOUT_NO_RECORD',
      'ERR_ROLLOUT_NO_SUCH_SERVICE',
    ]),
  ],
  [ExitCode.LOCK_HELD, new Set(['ERR_ROLLOUT_LOCK_HELD', 'ERR_ROLLOUT_LOCK_LOST', 'ERR_ROLLOUT_DRIFT'])],
  [ExitCode.FLEET_UNREACHABLE, new Set(['ERR_FLEET_UNREACHABLE', 'ERR_FLEET_TIMEOUT', 'ERR_NOT_FLEET'])],
  [
    ExitCode.FLEET_REJECTED,
    new Set([
      'ERR_FLEET_REJECTED',
      'ERR_FLEET_CONFLICT',
      'ERR_FLEET_NOT_FOUND',
      'ERR_FLEET_SERVER',
      'ERR_FLEET_BAD_RESPONSE',
    ]),
  ],
  [ExitCode.ROLLED_BACK, new Set(['ERR_ROLLOUT_ROLLED_BACK'])],
  [ExitCode.TIMEOUT, new Set(['ERR_ROLLOUT_STATE_TIMEOUT', 'ERR_ROLLOUT_DEADLINE'])],
  [
    ExitCode.INSTANCE_FAILED,
    new Set(['ERR_ROLLOUT_INSTANCE_FAILED', 'ERR_ROLLOUT_PAUSED', 'ERR_ROLLOUT_ABORTED']),
  ],
];

/** Walks an error and its `cause` chain (bounded), yielding each string `code`. */
function* codesOf(error: unknown): Generator<string> {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') yield code;
    // oclif parse errors carry `oclif.exit === 2`
    const oclifExit = (current as { oclif?: { exit?: unknown } }).oclif?.exit;
    if (oclifExit === 2) yield 'ERR_USAGE';
    current = (current as { cause?: unknown }).cause;
  }
}

/** Exit code for one error code string, or `undefined` when the code is not one we know. */
export function exitCodeForErrorCode(code: string): ExitCodeValue | undefined {
  for (const [exit, codes] of CODE_TABLE) if (codes.has(code)) return exit;
  return undefined;
}

/** Exit code for a rollout outcome. */
export function exitCodeForOutcome(outcome: string): ExitCodeValue {
  switch (outcome) {
    case 'succeeded':
    case 'unchanged':
    case 'dry-run':
      return ExitCode.OK;
    case 'rolled-back':
      return ExitCode.ROLLED_BACK;
    case 'aborted':
    case 'paused':
    case 'failed':
      return ExitCode.INSTANCE_FAILED;
    default:
      return ExitCode.INTERNAL;
  }
}

/** The one place that decides how `fs` exits. Pure. */
export function decideExitCode(input: ExitInput): ExitCodeValue {
  if (input.interrupted) return ExitCode.INTERRUPTED;
  if (input.error !== undefined) {
    // The outermost known code wins; a code further down the cause chain is the fallback.
    for (const code of codesOf(input.error)) {
      const exit = exitCodeForErrorCode(code);
      if (exit !== undefined) return exit;
    }
    return input.outcome ? nonZero(exitCodeForOutcome(input.outcome)) : ExitCode.INTERNAL;
  }
  return input.outcome ? exitCodeForOutcome(input.outcome) : ExitCode.OK;
}

function nonZero(code: ExitCodeValue): ExitCodeValue {
  return code === ExitCode.OK ? ExitCode.INTERNAL : code;
}

/** One line per exit code, for help text and the README. */
export const EXIT_CODE_DESCRIPTIONS: Readonly<Record<ExitCodeValue, string>> = {
  0: 'success (also: nothing to change)',
  1: 'unexpected internal error',
  2: 'usage or bad input (flags, unit file, service name, spec, endpoint syntax)',
  3: 'fleet unreachable, request timed out, or the endpoint is not fleet',
  4: 'fleet rejected a request or answered with an error',
  5: 'a state wait timed out, or the progress deadline passed',
  6: 'an instance failed and the rollout aborted or paused',
  7: 'the rollout failed and was rolled back',
  9: 'the service lock is held by someone else (or was lost, or the cluster drifted)',
  130: 'interrupted (Ctrl-C); the rollout stopped safely and can be resumed',
};
