/**
 * Exit codes of `fs`, decided in one pure function. The README documents the same table.
 * Errors are classified once, by the engine's `classifyError` (@fleet-service/rollout/classify:
 * every error code of fleet-client and rollout has a FailureClass); this file maps class → code.
 *
 * Precedence (first rule that applies wins):
 *   1. the user interrupted the run (first Ctrl-C, or SIGTERM)            → 130
 *   2. an error: the outermost error in its `cause` chain whose `code` is known decides
 *      (so a RolledBackError caused by a state timeout exits 7, not 5):
 *        usage / bad input (flags, unit file, service name, spec, endpoint syntax,
 *          SSH authentication refused, SSH host key unknown or changed)            → 2
 *        fleet unreachable, unavailable, request timeout, endpoint is not fleet
 *          (also the SSH tunnel host, the socket behind it, the SOCKS proxy)       → 3
 *        fleet rejected a request / server error / bad response                    → 4
 *        state timeout, progress deadline                                          → 5
 *        instance failed and the rollout aborted or paused                         → 6
 *        rolled back                                                               → 7
 *        an instance failed and the automatic rollback failed too                  → 8
 *        lock held by someone else, lock lost, cluster drifted                     → 9
 *        the engine was stopped by its AbortSignal                                 → 130
 *      an error with no known code falls back to the result's outcome, else       → 1
 *   3. no error: the result's outcome: succeeded/unchanged → 0, canary → 10 (the canaries run,
 *      waiting for `fs promote` or `fs rollback`: not a failure, but a script must not carry on as
 *      if the rollout were done), rolled-back → 7,
 *      rollback-failed → 8, paused/failed → 6, aborted → 130; no result → 0.
 */
import { classifyOutcome, type FailureClass, findFailureClass } from '@fleet-service/rollout/classify';

export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  FLEET_UNREACHABLE: 3,
  FLEET_REJECTED: 4,
  TIMEOUT: 5,
  INSTANCE_FAILED: 6,
  ROLLED_BACK: 7,
  ROLLBACK_FAILED: 8,
  LOCK_HELD: 9,
  CANARY: 10,
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

/** Exit code per failure class (the contract between the engine's classification and the CLI). */
export const EXIT_CODE_FOR_CLASS: Readonly<Record<FailureClass, ExitCodeValue>> = Object.freeze({
  usage: ExitCode.USAGE,
  unreachable: ExitCode.FLEET_UNREACHABLE,
  rejected: ExitCode.FLEET_REJECTED,
  'timed-out': ExitCode.TIMEOUT,
  'instance-failed': ExitCode.INSTANCE_FAILED,
  'rolled-back': ExitCode.ROLLED_BACK,
  'rollback-failed': ExitCode.ROLLBACK_FAILED,
  locked: ExitCode.LOCK_HELD,
  interrupted: ExitCode.INTERRUPTED,
  internal: ExitCode.INTERNAL,
});

/** The CLI's own codes (bad input it finds before the engine runs), classified like the engine's. */
export const CLI_ERROR_CLASSES: Readonly<Record<string, FailureClass>> = Object.freeze({
  ERR_USAGE: 'usage',
  ERR_UNIT_FILE_READ: 'usage',
  ERR_INVALID_UNIT_NAME: 'usage',
  ERR_INVALID_UNIT_OPTIONS: 'usage',
  ERR_INTERRUPTED: 'interrupted',
  // fs apply's bad input (services.yaml, unit files, sources), as @fleet-service/apply's
  // APPLY_ERROR_CLASSES says (a test holds them equal); ERR_APPLY_FAILED: its cause decides
  ERR_APPLY_INVALID: 'usage',
  ERR_APPLY_SOURCE: 'usage',
  ERR_APPLY_EMPTY: 'usage',
  // a service stopped because another failed under --fail-fast (the other's class decides the exit)
  ERR_APPLY_FAIL_FAST: 'interrupted',
});

/** oclif's own parse errors carry no code, only `oclif.exit === 2`: they are usage errors. */
function isOclifUsageError(error: unknown): boolean {
  return (error as { oclif?: { exit?: unknown } } | null | undefined)?.oclif?.exit === 2;
}

/** Exit code for one error code string, or `undefined` when the code is not one we know. */
export function exitCodeForErrorCode(code: string): ExitCodeValue | undefined {
  const cls = findFailureClass({ code }, CLI_ERROR_CLASSES);
  return cls === undefined ? undefined : EXIT_CODE_FOR_CLASS[cls];
}

/** Exit code for a rollout outcome. */
export function exitCodeForOutcome(outcome: string): ExitCodeValue {
  if (outcome === 'dry-run') return ExitCode.OK;
  if (outcome === 'canary') return ExitCode.CANARY;
  const cls = classifyOutcome(outcome);
  return cls === undefined ? ExitCode.OK : EXIT_CODE_FOR_CLASS[cls];
}

/** The one place that decides how `fs` exits. Pure. */
export function decideExitCode(input: ExitInput): ExitCodeValue {
  if (input.interrupted) return ExitCode.INTERRUPTED;
  if (input.error !== undefined) {
    if (isOclifUsageError(input.error)) return ExitCode.USAGE;
    // The outermost known code wins; a code further down the cause chain is the fallback.
    const cls = findFailureClass(input.error, CLI_ERROR_CLASSES);
    if (cls !== undefined) return EXIT_CODE_FOR_CLASS[cls];
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
  2: 'usage or bad input (flags, unit file, service name, spec, endpoint syntax; SSH key or host key refused)',
  3: 'fleet unreachable or unavailable (directly, through the SSH tunnel or the SOCKS proxy), request timed out, or the endpoint is not fleet',
  4: 'fleet rejected a request or answered with an error',
  5: 'a state wait timed out, or the progress deadline passed',
  6: 'an instance failed and the rollout aborted or paused',
  7: 'the rollout failed and was rolled back',
  8: 'an instance failed and the automatic rollback failed too',
  9: 'the service lock is held by someone else (or was lost, or the cluster drifted)',
  10: 'canary: the canaries run the new contents, healthy; fs promote or fs rollback next',
  130: 'interrupted (Ctrl-C); the rollout stopped safely and can be resumed',
};
