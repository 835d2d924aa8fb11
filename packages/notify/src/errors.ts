/**
 * Every error this package throws is a NotifyError with a stable `code`. Messages never hold a
 * secret: a target is named by its redacted form (`redactTarget`), and the original error (as
 * `cause`) is a copy with its message redacted, without the original's request options.
 */

export const NOTIFY_ERROR_CODES = Object.freeze({
  badTarget: 'ERR_NOTIFY_BAD_TARGET',
  badOptions: 'ERR_NOTIFY_BAD_OPTIONS',
  http: 'ERR_NOTIFY_HTTP',
  network: 'ERR_NOTIFY_NETWORK',
  timeout: 'ERR_NOTIFY_TIMEOUT',
  beanstalkd: 'ERR_NOTIFY_BEANSTALKD',
  aborted: 'ERR_NOTIFY_ABORTED',
} as const);

export type NotifyErrorCode = (typeof NOTIFY_ERROR_CODES)[keyof typeof NOTIFY_ERROR_CODES];

/** Base class of every notify error. */
export class NotifyError extends Error {
  override readonly name: string = 'NotifyError';
  readonly code: NotifyErrorCode;

  constructor(message: string, code: NotifyErrorCode, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * A target string, NOTIFY_FLAGS document or template is malformed: unknown scheme, bad URL, bad
 * JSON, bad base64, unknown template field. Thrown at start, before anything is sent.
 */
export class NotifyTargetError extends NotifyError {
  override readonly name = 'NotifyTargetError';
  /** The target as given, redacted. */
  readonly target: string;
  constructor(target: string, problem: string) {
    super(`bad notify target ${target}: ${problem}`, NOTIFY_ERROR_CODES.badTarget);
    this.target = target;
  }
}

/** A notifier option is out of range (timeout, retries, priority, TTR, an unknown event name). */
export class NotifyOptionsError extends NotifyError {
  override readonly name = 'NotifyOptionsError';
  readonly option: string;
  constructor(option: string, problem: string) {
    super(`bad notify option ${option}: ${problem}`, NOTIFY_ERROR_CODES.badOptions);
    this.option = option;
  }
}

/** One delivery to one target failed (after its retries, or at once when retrying cannot help). */
export class NotifyDeliveryError extends NotifyError {
  override readonly name = 'NotifyDeliveryError';
  /** The target, redacted. */
  readonly target: string;
  /** The HTTP status, for an HTTP answer that was not 2xx. */
  readonly status: number | undefined;
  /** Whether another attempt could succeed (5xx, network, timeout of one attempt). */
  readonly retryable: boolean;
  constructor(
    target: string,
    code: NotifyErrorCode,
    problem: string,
    options: { status?: number; retryable: boolean; cause?: unknown },
  ) {
    super(`notify ${target}: ${problem}`, code, { cause: options.cause });
    this.target = target;
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

/** Whether `error` is one of this package's errors. */
export function isNotifyError(error: unknown): error is NotifyError {
  return error instanceof NotifyError;
}

/**
 * A copy of `error` safe to keep as `cause`: its name, code and message with every secret replaced
 * by `***` (got's and Slack's errors keep the request URL and options, which hold secrets).
 */
export function redactedCause(error: unknown, secrets: readonly string[]): Error {
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const copy = new Error(redactText(typeof e?.message === 'string' ? e.message : String(error), secrets));
  if (typeof e?.name === 'string') copy.name = e.name;
  if (typeof e?.code === 'string') Object.assign(copy, { code: e.code });
  return copy;
}

/** `text` with every non-empty secret replaced by `***` (longest first, so no part leaks). */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}
