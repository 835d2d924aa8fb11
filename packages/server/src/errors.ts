/** The server's errors: a base class with a stable `code`, one subclass per kind. */

export const SERVE_ERROR_CODES = Object.freeze({
  config: 'ERR_SERVE_CONFIG',
  noCredentials: 'ERR_SERVE_NO_CREDENTIALS',
  listen: 'ERR_SERVE_LISTEN',
  state: 'ERR_SERVE_STATE',
  request: 'ERR_SERVE_REQUEST',
});

export type ServeErrorCode = (typeof SERVE_ERROR_CODES)[keyof typeof SERVE_ERROR_CODES];

export class ServeError extends Error {
  override readonly name: string = 'ServeError';
  readonly code: ServeErrorCode;
  constructor(message: string, code: ServeErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The server's settings are wrong (options, listen address, certificate files, config file). */
export class ServeConfigError extends ServeError {
  override readonly name = 'ServeConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, SERVE_ERROR_CODES.config, options);
  }
}

/** No credential was given and `noAuth` was not (or may not be) used. */
export class NoCredentialsError extends ServeError {
  override readonly name = 'NoCredentialsError';
  constructor(message: string) {
    super(message, SERVE_ERROR_CODES.noCredentials);
  }
}

/** The state store could not be opened or written. */
export class StateStoreError extends ServeError {
  override readonly name = 'StateStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, SERVE_ERROR_CODES.state, options);
  }
}

/**
 * A deploy request the server refuses: unknown service (404), updates not allowed (403), bad
 * version or image (400/422). `status` is the HTTP status it is answered with.
 */
export class DeployRequestError extends ServeError {
  override readonly name = 'DeployRequestError';
  readonly status: number;
  readonly reason: string;
  constructor(message: string, status: number, reason: string) {
    super(message, SERVE_ERROR_CODES.request);
    this.status = status;
    this.reason = reason;
  }
}

export function isServeError(error: unknown): error is ServeError {
  return error instanceof ServeError;
}
