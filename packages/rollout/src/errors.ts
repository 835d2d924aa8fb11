/**
 * Every error the engine throws is a RolloutError with a stable `code`. fleet-client's FleetError
 * passes through unchanged (as itself, or as `cause`). `result` carries the RolloutResult when the
 * error ends a rollout (non-enumerable: it is bulky).
 */
import type { PlanStep } from './plan.js';
import type { RolloutResult } from './result.js';
import type { LockInfo } from './snapshot.js';
import type { SpecProblem } from './spec.js';

export const ROLLOUT_ERROR_CODES = Object.freeze({
  invalidSpec: 'ERR_ROLLOUT_INVALID_SPEC',
  unsupported: 'ERR_ROLLOUT_UNSUPPORTED',
  stateTimeout: 'ERR_ROLLOUT_STATE_TIMEOUT',
  deadline: 'ERR_ROLLOUT_DEADLINE',
  instanceFailed: 'ERR_ROLLOUT_INSTANCE_FAILED',
  rolledBack: 'ERR_ROLLOUT_ROLLED_BACK',
  paused: 'ERR_ROLLOUT_PAUSED',
  lockHeld: 'ERR_ROLLOUT_LOCK_HELD',
  lockLost: 'ERR_ROLLOUT_LOCK_LOST',
  drift: 'ERR_ROLLOUT_DRIFT',
  aborted: 'ERR_ROLLOUT_ABORTED',
  noRecord: 'ERR_ROLLOUT_NO_RECORD',
  rollbackFailed: 'ERR_ROLLOUT_ROLLBACK_FAILED',
  noSuchService: 'ERR_ROLLOUT_NO_SUCH_SERVICE',
  hookFailed: 'ERR_ROLLOUT_HOOK_FAILED',
  noCanary: 'ERR_ROLLOUT_NO_CANARY',
} as const);

export type RolloutErrorCode = (typeof ROLLOUT_ERROR_CODES)[keyof typeof ROLLOUT_ERROR_CODES];

/** Base class of every engine error. */
export class RolloutError extends Error {
  override readonly name: string = 'RolloutError';
  readonly code: RolloutErrorCode;
  /** The rollout's result, when this error ended one. Non-enumerable. */
  declare result: RolloutResult | undefined;

  constructor(message: string, code: RolloutErrorCode, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, 'result', {
      value: undefined,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
}

/** The spec has problems; `problems` lists all of them. */
export class InvalidSpecError extends RolloutError {
  override readonly name = 'InvalidSpecError';
  readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    super(
      `invalid rollout spec (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      ROLLOUT_ERROR_CODES.invalidSpec,
    );
    this.problems = Object.freeze([...problems]);
  }
}

/** The unit file asks for something the engine refuses by design (e.g. `Global=true`). */
export class UnsupportedUnitError extends RolloutError {
  override readonly name = 'UnsupportedUnitError';
  readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[]) {
    super(
      `unsupported unit file: ${problems.map((p) => p.message).join('; ')}`,
      ROLLOUT_ERROR_CODES.unsupported,
    );
    this.problems = Object.freeze([...problems]);
  }
}

/** Which wait ran out. */
export type WaitPhase = 'stop' | 'gone' | 'launched' | 'healthy';

/** A wait ran past its deadline. Names the unit, the state waited for and the last state seen. */
export class StateTimeoutError extends RolloutError {
  override readonly name = 'StateTimeoutError';
  readonly unit: string;
  readonly phase: WaitPhase;
  readonly waitedFor: string;
  readonly lastSeen: string;
  readonly timeoutMs: number;
  /** Why it could not progress, when known (e.g. "no machine satisfies MachineMetadata=disk=ssd"). */
  readonly diagnosis: string | undefined;
  constructor(f: {
    unit: string;
    phase: WaitPhase;
    waitedFor: string;
    lastSeen: string;
    timeoutMs: number;
    diagnosis?: string;
  }) {
    super(
      `timed out after ${f.timeoutMs} ms waiting for ${f.unit} to be ${f.waitedFor} (the ${f.phase} timeout); last seen: ${f.lastSeen}${f.diagnosis ? `; ${f.diagnosis}` : ''}`,
      ROLLOUT_ERROR_CODES.stateTimeout,
    );
    this.unit = f.unit;
    this.phase = f.phase;
    this.waitedFor = f.waitedFor;
    this.lastSeen = f.lastSeen;
    this.timeoutMs = f.timeoutMs;
    this.diagnosis = f.diagnosis;
  }
}

/** No step finished within progressDeadlineMs. */
export class ProgressDeadlineError extends RolloutError {
  override readonly name = 'ProgressDeadlineError';
  readonly unit: string;
  readonly waitedFor: string;
  readonly lastSeen: string;
  readonly progressDeadlineMs: number;
  constructor(f: { unit: string; waitedFor: string; lastSeen: string; progressDeadlineMs: number }) {
    super(
      `no progress for ${f.progressDeadlineMs} ms (the progress deadline) while waiting for ${f.unit} to be ${f.waitedFor}; last seen: ${f.lastSeen}`,
      ROLLOUT_ERROR_CODES.deadline,
    );
    this.unit = f.unit;
    this.waitedFor = f.waitedFor;
    this.lastSeen = f.lastSeen;
    this.progressDeadlineMs = f.progressDeadlineMs;
  }
}

/** An instance failed (systemd `failed`, a load state other than `loaded`, or it vanished). */
export class InstanceFailedError extends RolloutError {
  override readonly name = 'InstanceFailedError';
  readonly unit: string;
  readonly diagnosis: string;
  readonly machineID: string | undefined;
  constructor(f: { unit: string; diagnosis: string; machineID?: string }) {
    super(`${f.unit} failed: ${f.diagnosis}`, ROLLOUT_ERROR_CODES.instanceFailed);
    this.unit = f.unit;
    this.diagnosis = f.diagnosis;
    this.machineID = f.machineID;
  }
}

/** The rollout failed and onFailure=rollback put the previous contents back. `cause` is the failure. */
export class RolledBackError extends RolloutError {
  override readonly name = 'RolledBackError';
  constructor(service: string, cause: unknown) {
    super(
      `rollout of ${service} failed and was rolled back: ${messageOf(cause)}`,
      ROLLOUT_ERROR_CODES.rolledBack,
      { cause },
    );
  }
}

/**
 * The rollout failed, onFailure=rollback tried to put the previous contents back, and that failed
 * too. `cause` is the rollout's failure; `rollbackError` the rollback's. The service may run a mix
 * of both versions: see the result's `replaced` and `rolledBack`.
 */
export class RollbackFailedError extends RolloutError {
  override readonly name = 'RollbackFailedError';
  readonly service: string;
  /** Why the rollback failed. */
  readonly rollbackError: unknown;
  constructor(service: string, cause: unknown, rollbackError: unknown) {
    super(
      `rollout of ${service} failed (${messageOf(cause)}) and the automatic rollback failed too: ${messageOf(rollbackError)}`,
      ROLLOUT_ERROR_CODES.rollbackFailed,
      { cause },
    );
    this.service = service;
    this.rollbackError = rollbackError;
  }
}

/** The rollout failed and onFailure=pause stopped it; rerun the same rollout to resume. `cause` is the failure. */
export class PausedError extends RolloutError {
  override readonly name = 'PausedError';
  constructor(service: string, cause: unknown) {
    super(
      `rollout of ${service} paused after a failure (rerun to resume): ${messageOf(cause)}`,
      ROLLOUT_ERROR_CODES.paused,
      { cause },
    );
  }
}

/** Another rollout holds the service's lock. */
export class LockHeldError extends RolloutError {
  override readonly name = 'LockHeldError';
  readonly service: string;
  readonly holder: LockInfo;
  constructor(service: string, holder: LockInfo, detail = '') {
    super(
      `${service} is locked by ${holder.owner} on ${holder.host} (pid ${holder.pid}) until ${new Date(holder.expiry).toISOString()}${detail}`,
      ROLLOUT_ERROR_CODES.lockHeld,
    );
    this.service = service;
    this.holder = holder;
  }
}

/** The lock was taken over or vanished while the rollout ran. */
export class LockLostError extends RolloutError {
  override readonly name = 'LockLostError';
  readonly service: string;
  readonly holder: LockInfo | undefined;
  constructor(service: string, holder: LockInfo | undefined) {
    super(
      `lost the lock on ${service}${holder ? ` to ${holder.owner} on ${holder.host} (pid ${holder.pid})` : ' (lock unit gone)'}`,
      ROLLOUT_ERROR_CODES.lockLost,
    );
    this.service = service;
    this.holder = holder;
  }
}

/** The cluster is not as the plan assumed (someone else changed the unit). */
export class DriftError extends RolloutError {
  override readonly name = 'DriftError';
  readonly unit: string;
  readonly expected: string;
  readonly actual: string;
  constructor(f: { unit: string; expected: string; actual: string; step?: PlanStep }) {
    super(
      `${f.unit} changed since the plan was made: expected ${f.expected}, found ${f.actual}`,
      ROLLOUT_ERROR_CODES.drift,
    );
    this.unit = f.unit;
    this.expected = f.expected;
    this.actual = f.actual;
  }
}

/** The AbortSignal fired; in-flight steps were finished first. */
export class RolloutAbortedError extends RolloutError {
  override readonly name = 'RolloutAbortedError';
  readonly completedSteps: readonly PlanStep[];
  constructor(service: string, completedSteps: readonly PlanStep[], cause?: unknown) {
    super(
      `rollout of ${service} aborted after ${completedSteps.length} completed step(s)`,
      ROLLOUT_ERROR_CODES.aborted,
      { cause },
    );
    this.completedSteps = Object.freeze([...completedSteps]);
  }
}

/** rollbackService found no record of previous contents. */
export class NoRecordError extends RolloutError {
  override readonly name = 'NoRecordError';
  readonly service: string;
  constructor(service: string) {
    super(
      `no previous contents recorded for ${service}: nothing to roll back to`,
      ROLLOUT_ERROR_CODES.noRecord,
    );
    this.service = service;
  }
}

/** destroy/rollback/status of a service that has no units (fs's own record and lock units do not count). */
export class NoSuchServiceError extends RolloutError {
  override readonly name = 'NoSuchServiceError';
  readonly service: string;
  constructor(service: string) {
    super(
      `no such service: ${service} has no template, instances or ${service}.service in the cluster`,
      ROLLOUT_ERROR_CODES.noSuchService,
    );
    this.service = service;
  }
}

/**
 * A lifecycle hook failed (rejected, or ran past its timeout). `pre-stop`: nothing was taken down
 * and the rollout stopped; `post-start`: an instance failure (failure budget and policy apply).
 */
export class HookFailedError extends RolloutError {
  override readonly name = 'HookFailedError';
  readonly hook: 'pre-stop' | 'post-start';
  readonly unit: string;
  constructor(f: { hook: 'pre-stop' | 'post-start'; unit: string; reason: string; cause?: unknown }) {
    super(`${f.hook} hook for ${f.unit} failed: ${f.reason}`, ROLLOUT_ERROR_CODES.hookFailed, {
      cause: f.cause,
    });
    this.hook = f.hook;
    this.unit = f.unit;
  }
}

/** promoteService: the service has no canary waiting to be promoted. */
export class NoCanaryError extends RolloutError {
  override readonly name = 'NoCanaryError';
  readonly service: string;
  constructor(service: string, status?: string) {
    super(
      `${service} has no canary to promote (last rollout: ${status ?? 'none recorded'}); start one with canary (fs create --canary N)`,
      ROLLOUT_ERROR_CODES.noCanary,
    );
    this.service = service;
  }
}

/** Is `error` a RolloutError (optionally with this code)? Checks the code, not the prototype. */
export function isRolloutError(error: unknown, code?: RolloutErrorCode): error is RolloutError {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  if (code !== undefined) return actual === code;
  return typeof actual === 'string' && (Object.values(ROLLOUT_ERROR_CODES) as string[]).includes(actual);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
