/**
 * One classification of failures: every error code fleet-client and the engine export maps to a
 * FailureClass. The CLI turns a class into an exit code; a server can turn it into an HTTP status.
 * Codes are plain strings here (the engine imports fleet-client's types only), and a test checks
 * that every exported code of both packages is in the table.
 */

/**
 * What kind of failure ended an operation. One line each:
 * - `usage`: the caller's input is wrong (spec, unit file, names, endpoint syntax, no such service).
 * - `unreachable`: fleet could not be reached, did not answer in time, was unavailable, or is not fleet.
 * - `rejected`: fleet answered with an error (4xx other than the above, 5xx, a malformed answer).
 * - `timed-out`: a state wait ran past its timeout, or no step finished within the progress deadline.
 * - `instance-failed`: an instance failed and the rollout stopped (abort or pause policy).
 * - `rolled-back`: the rollout failed and the previous contents were put back.
 * - `rollback-failed`: an instance failed and the automatic rollback failed too.
 * - `locked`: another rollout holds the lock, took it over, or changed the service meanwhile.
 * - `interrupted`: the caller's AbortSignal stopped the rollout (Ctrl-C); it stopped safely.
 * - `internal`: anything without a known code (a bug, or an error from outside fs).
 */
export type FailureClass =
  | 'usage'
  | 'unreachable'
  | 'rejected'
  | 'timed-out'
  | 'instance-failed'
  | 'rolled-back'
  | 'rollback-failed'
  | 'locked'
  | 'interrupted'
  | 'internal';

/** Every error code fleet-client and rollout export, with its class. */
export const ERROR_CLASSES: Readonly<Record<string, FailureClass>> = Object.freeze({
  // fleet-client
  ERR_FLEET_UNREACHABLE: 'unreachable',
  ERR_FLEET_TIMEOUT: 'unreachable',
  ERR_FLEET_UNAVAILABLE: 'unreachable',
  ERR_NOT_FLEET: 'unreachable',
  ERR_FLEET_REJECTED: 'rejected',
  ERR_FLEET_CONFLICT: 'rejected',
  ERR_FLEET_NOT_FOUND: 'rejected',
  ERR_FLEET_SERVER: 'rejected',
  ERR_FLEET_BAD_RESPONSE: 'rejected',
  ERR_FLEET_INVALID_UNIT: 'usage',
  ERR_FLEET_INVALID_ENDPOINT: 'usage',
  ERR_FLEET_INVALID_OPTIONS: 'usage',
  ERR_UNIT_FILE_SYNTAX: 'usage',
  ERR_TUNNEL_UNREACHABLE: 'unreachable',
  ERR_TUNNEL_AUTH: 'usage',
  ERR_TUNNEL_HOST_KEY_UNKNOWN: 'usage',
  ERR_TUNNEL_HOST_KEY_CHANGED: 'usage',
  ERR_TUNNEL_REMOTE_SOCKET: 'unreachable',
  ERR_SOCKS_PROXY: 'unreachable',
  // rollout
  ERR_ROLLOUT_INVALID_SPEC: 'usage',
  ERR_ROLLOUT_UNSUPPORTED: 'usage',
  ERR_ROLLOUT_NO_RECORD: 'usage',
  ERR_ROLLOUT_NO_SUCH_SERVICE: 'usage',
  ERR_ROLLOUT_STATE_TIMEOUT: 'timed-out',
  ERR_ROLLOUT_DEADLINE: 'timed-out',
  ERR_ROLLOUT_INSTANCE_FAILED: 'instance-failed',
  ERR_ROLLOUT_PAUSED: 'instance-failed',
  ERR_ROLLOUT_ROLLED_BACK: 'rolled-back',
  ERR_ROLLOUT_ROLLBACK_FAILED: 'rollback-failed',
  ERR_ROLLOUT_LOCK_HELD: 'locked',
  ERR_ROLLOUT_LOCK_LOST: 'locked',
  ERR_ROLLOUT_DRIFT: 'locked',
  ERR_ROLLOUT_ABORTED: 'interrupted',
  ERR_ROLLOUT_HOOK_FAILED: 'instance-failed',
  ERR_ROLLOUT_NO_CANARY: 'usage',
});

/** How deep `cause` chains are followed (they are short; the bound guards against cycles). */
const MAX_DEPTH = 8;

/**
 * The class of the outermost error in `error`'s `cause` chain whose `code` is known (so a
 * RolledBackError caused by a state timeout is `rolled-back`, not `timed-out`), or `undefined` when
 * no error in the chain has a known code. `extra` adds a front end's own codes (e.g. the CLI's
 * `ERR_USAGE`); the package's own table wins for a code in both.
 */
export function findFailureClass(
  error: unknown,
  extra: Readonly<Record<string, FailureClass>> = {},
): FailureClass | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      const known = Object.hasOwn(ERROR_CLASSES, code)
        ? ERROR_CLASSES[code]
        : Object.hasOwn(extra, code)
          ? extra[code]
          : undefined;
      if (known) return known;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The class of a failure: the outermost known code in the cause chain wins; none → `internal`. */
export function classifyError(error: unknown, extra?: Readonly<Record<string, FailureClass>>): FailureClass {
  return findFailureClass(error, extra) ?? 'internal';
}

/**
 * The class of a rollout's outcome (RolloutResult.outcome), for a result without an error:
 * `undefined` for success (`succeeded`, `unchanged`), `internal` for an outcome it does not know.
 */
export function classifyOutcome(outcome: string): FailureClass | undefined {
  switch (outcome) {
    case 'succeeded':
    case 'unchanged':
    case 'canary': // not a failure: the canaries run, waiting for promote (the CLI gives it its own exit code)
      return undefined;
    case 'rolled-back':
      return 'rolled-back';
    case 'rollback-failed':
      return 'rollback-failed';
    case 'paused':
    case 'failed':
      return 'instance-failed';
    case 'aborted':
      return 'interrupted';
    default:
      return 'internal';
  }
}
