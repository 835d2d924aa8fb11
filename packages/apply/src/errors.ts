/**
 * Every error apply throws is an ApplyError with a stable `code`. Engine (RolloutError) and client
 * (FleetError) errors of one service's rollout are kept in that service's outcome, never thrown.
 */
import type { ApplyResult } from './run/result.js';

export const APPLY_ERROR_CODES = Object.freeze({
  invalid: 'ERR_APPLY_INVALID',
  source: 'ERR_APPLY_SOURCE',
  empty: 'ERR_APPLY_EMPTY',
  failed: 'ERR_APPLY_FAILED',
  failFast: 'ERR_APPLY_FAIL_FAST',
} as const);

export type ApplyErrorCode = (typeof APPLY_ERROR_CODES)[keyof typeof APPLY_ERROR_CODES];

/** One problem in the desired state: where (file, 1-based line and column) and what. */
export interface DesiredStateProblem {
  /** The file or URL the problem is in (services.yaml, or a unit file). */
  file: string;
  line?: number;
  column?: number;
  /** The service entry it is about, when it is about one (its `name`, or `services[3]`). */
  entry?: string;
  message: string;
}

/** `file:line:column: message` (parts that are unknown are left out). */
export function formatProblem(p: DesiredStateProblem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  return `${where}: ${p.entry ? `${p.entry}: ` : ''}${p.message}`;
}

/** Base class of apply's errors. */
export class ApplyError extends Error {
  override readonly name: string = 'ApplyError';
  readonly code: ApplyErrorCode;
  constructor(message: string, code: ApplyErrorCode, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** The desired state is wrong: YAML syntax, schema, names, counts, unit files. Every problem at once. */
export class DesiredStateError extends ApplyError {
  override readonly name = 'DesiredStateError';
  readonly problems: readonly DesiredStateProblem[];
  constructor(problems: readonly DesiredStateProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `invalid desired state (${count}):${problems.map((p) => `\n  ${formatProblem(p)}`).join('')}`,
      APPLY_ERROR_CODES.invalid,
    );
    this.problems = Object.freeze([...problems]);
  }
}

/** A source (services.yaml or a unit file) could not be read: not found, HTTP error, unreachable. */
export class SourceError extends ApplyError {
  override readonly name = 'SourceError';
  /** The URL or path asked for. */
  readonly source: string;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(source: string, reason: string, options: { status?: number; cause?: unknown } = {}) {
    super(`cannot read ${source}: ${reason}`, APPLY_ERROR_CODES.source, { cause: options.cause });
    this.source = source;
    this.status = options.status;
  }
}

/** An empty desired state, or one that would remove every service, without `allowEmpty`. */
export class EmptyDesiredStateError extends ApplyError {
  override readonly name = 'EmptyDesiredStateError';
  constructor(reason: string) {
    super(`${reason}; refusing (allowEmpty / --allow-empty to do it anyway)`, APPLY_ERROR_CODES.empty);
  }
}

/** At least one service's rollout failed; `result` lists every service's outcome. */
export class ApplyFailedError extends ApplyError {
  override readonly name = 'ApplyFailedError';
  declare result: ApplyResult;
  constructor(result: ApplyResult, cause?: unknown) {
    const failed = result.services.filter((s) => s.error);
    super(
      `apply failed for ${failed.length} of ${result.services.length} services: ${failed
        .map((s) => `${s.service} (${s.error?.code ?? 'error'}: ${s.error?.message ?? ''})`)
        .join('; ')}`,
      APPLY_ERROR_CODES.failed,
      { cause },
    );
    Object.defineProperty(this, 'result', { value: result, enumerable: false, writable: true });
  }
}

/**
 * `--fail-fast`: another service failed, so this one was stopped (the reason its waits were
 * cancelled with; a service stopped this way lists it as its error).
 */
export class FailFastError extends ApplyError {
  override readonly name = 'FailFastError';
  /** The service whose failure stopped the others. */
  readonly failed: string;
  constructor(failed: string) {
    super(`stopped by --fail-fast: ${failed} failed`, APPLY_ERROR_CODES.failFast);
    this.failed = failed;
  }
}

export const isApplyError = (e: unknown): e is ApplyError => e instanceof ApplyError;
export const isDesiredStateError = (e: unknown): e is DesiredStateError => e instanceof DesiredStateError;
export const isSourceError = (e: unknown): e is SourceError => e instanceof SourceError;
