/**
 * Every error the fleet client throws is a FleetError with a stable `code`. The message names the
 * operation (`PUT /fleet/v1/units/web@1.service failed (409): …`); the fields carry the context a
 * caller needs to decide what to do. Aborts are the exception: an aborted call rejects with the
 * AbortSignal's own `reason`, exactly as `fetch` and the shared Clock do.
 */
import type { UnitOption } from './types.js';

/** Every code a FleetError can carry. */
export const FLEET_ERROR_CODES = Object.freeze({
  unreachable: 'ERR_FLEET_UNREACHABLE',
  timeout: 'ERR_FLEET_TIMEOUT',
  notFound: 'ERR_FLEET_NOT_FOUND',
  conflict: 'ERR_FLEET_CONFLICT',
  rejected: 'ERR_FLEET_REJECTED',
  server: 'ERR_FLEET_SERVER',
  unavailable: 'ERR_FLEET_UNAVAILABLE',
  notFleet: 'ERR_NOT_FLEET',
  badResponse: 'ERR_FLEET_BAD_RESPONSE',
  invalidUnit: 'ERR_FLEET_INVALID_UNIT',
  invalidEndpoint: 'ERR_FLEET_INVALID_ENDPOINT',
  invalidOptions: 'ERR_FLEET_INVALID_OPTIONS',
  tunnelUnreachable: 'ERR_TUNNEL_UNREACHABLE',
  tunnelAuth: 'ERR_TUNNEL_AUTH',
  hostKeyUnknown: 'ERR_TUNNEL_HOST_KEY_UNKNOWN',
  hostKeyChanged: 'ERR_TUNNEL_HOST_KEY_CHANGED',
  remoteSocket: 'ERR_TUNNEL_REMOTE_SOCKET',
  socksProxy: 'ERR_SOCKS_PROXY',
} as const);

export type FleetErrorCode = (typeof FLEET_ERROR_CODES)[keyof typeof FLEET_ERROR_CODES];

/** Context attached to a FleetError. Every field is optional; what applies depends on the failure. */
export interface FleetErrorContext {
  /** HTTP method of the failed call, e.g. `PUT`. */
  method?: string;
  /** Path of the failed call, readable (unit names not percent-encoded), e.g. `/fleet/v1/units/web@1.service`. */
  path?: string;
  /** HTTP status, when fleet answered. */
  status?: number;
  /** fleet's `error.message` from the body (may be `""`: fleet often sends no message). */
  fleetMessage?: string;
  /** The unit the call was about. */
  unitName?: string;
  /** The endpoint, as given to the client (e.g. `unix:///var/run/fleet.sock`). */
  endpoint?: string;
  /** How many attempts were made (more than 1 when the client retried). */
  attempts?: number;
  /** Whether the failure is transient: waiting and trying again may succeed. */
  transient?: boolean;
  /** The raw response body (kept off enumeration: it can be large). */
  responseBody?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** Base class of every error thrown by `@fleet-service/fleet-client`. */
export class FleetError extends Error {
  override readonly name: string = 'FleetError';
  /** Stable machine-readable code, `ERR_FLEET_…`. */
  readonly code: FleetErrorCode;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly status: number | undefined;
  readonly fleetMessage: string | undefined;
  readonly unitName: string | undefined;
  readonly endpoint: string | undefined;
  readonly attempts: number | undefined;
  /** `true` when trying again later may succeed (unreachable, timeout, 5xx, dropped connection). */
  readonly transient: boolean;
  /** The raw response body, if any. Non-enumerable. */
  declare readonly responseBody: string | undefined;

  constructor(message: string, code: FleetErrorCode, context: FleetErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.method = context.method;
    this.path = context.path;
    this.status = context.status;
    this.fleetMessage = context.fleetMessage;
    this.unitName = context.unitName;
    this.endpoint = context.endpoint;
    this.attempts = context.attempts;
    this.transient = context.transient ?? false;
    Object.defineProperty(this, 'responseBody', {
      value: context.responseBody,
      enumerable: false,
      writable: false,
      configurable: true,
    });
  }
}

/**
 * fleet could not be reached: connection refused, the unix socket is missing (ENOENT, e.g. while
 * fleetd restarts), connection reset, DNS failure, TLS handshake failure.
 */
export class FleetUnreachableError extends FleetError {
  override readonly name = 'FleetUnreachableError';
  /** The system error code behind it, e.g. `ECONNREFUSED`, `ENOENT`, `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly reason: string | undefined;
  constructor(message: string, context: FleetErrorContext & { reason?: string } = {}) {
    super(message, FLEET_ERROR_CODES.unreachable, context);
    this.reason = context.reason;
  }
}

/** An attempt ran out of time: no connection within `timeout.connect`, or no complete response within `timeout.request`. */
export class FleetTimeoutError extends FleetError {
  override readonly name = 'FleetTimeoutError';
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutMs: number | undefined;
  /** Which timeout ran out: `connect` (fleet never saw the request) or `request` (the whole attempt). */
  readonly phase: 'connect' | 'request';
  constructor(
    message: string,
    context: FleetErrorContext & { timeoutMs?: number; phase?: 'connect' | 'request' } = {},
  ) {
    super(message, FLEET_ERROR_CODES.timeout, { transient: true, ...context });
    this.timeoutMs = context.timeoutMs;
    this.phase = context.phase ?? 'request';
  }
}

/** fleet answered 404, e.g. `unit does not exist` on DELETE. */
export class FleetNotFoundError extends FleetError {
  override readonly name = 'FleetNotFoundError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.notFound, context);
  }
}

/**
 * fleet answered 409: `unit does not exist and options field empty` or
 * `must provide DesiredState to update existing unit`.
 */
export class FleetConflictError extends FleetError {
  override readonly name = 'FleetConflictError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.conflict, context);
  }
}

/** fleet refused the request: 400 (bad name, options, token), 405, 415 or another 4xx. */
export class FleetRejectedError extends FleetError {
  override readonly name = 'FleetRejectedError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.rejected, context);
  }
}

/** fleet answered 5xx other than 503, e.g. a 500 with an empty message (a registry error). */
export class FleetServerError extends FleetError {
  override readonly name = 'FleetServerError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.server, { transient: true, ...context });
  }
}

/**
 * fleet is not serving: it answered 503 (`fleet server unable to communicate with etcd`, while
 * fleetd starts, reconfigures or has lost etcd), and still did when the retry time budget ran
 * out. Fleet did not act on the request. Like FleetUnreachableError, it is about where fleet
 * is, not about the request: trying again later may work.
 */
export class FleetUnavailableError extends FleetError {
  override readonly name = 'FleetUnavailableError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.unavailable, { transient: true, ...context });
  }
}

/**
 * The endpoint answered, but not as fleet: its responses carry no `Server: fleetd/…` header, or
 * its answer could not be read as fleet's. Thrown by `verifyFleet`. The message is
 * `<endpoint> is not a fleet API endpoint: <detail>`.
 */
export class NotFleetError extends FleetError {
  override readonly name = 'NotFleetError';
  /** The endpoint, as given to the client. */
  declare readonly endpoint: string;
  constructor(endpoint: string, detail: string, options: { cause?: unknown } = {}) {
    super(`${endpoint} is not a fleet API endpoint: ${detail}`, FLEET_ERROR_CODES.notFleet, {
      endpoint,
      cause: options.cause,
    });
  }
}

/**
 * The answer was not what fleet sends: a body that is not JSON or has the wrong shape, an
 * unexpected status, a 404 that does not come from fleetd, or a connection closed without any
 * response (what fleetd does when a handler panics).
 */
export class FleetBadResponseError extends FleetError {
  override readonly name = 'FleetBadResponseError';
  constructor(message: string, context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.badResponse, context);
  }
}

/** One problem found by local validation. */
export interface ValidationProblem {
  /** What is wrong, in fleet's words where fleet has words for it. */
  message: string;
  /** Which part of the request: the unit name, its options, or the desiredState. */
  field?: 'name' | 'options' | 'desiredState';
  /** The offending option, for option problems. */
  option?: UnitOption;
  /** Index into the options array, for option problems. */
  index?: number;
  /** 1-based line in the serialised unit file, for option problems (see `OptionProblem.line`). */
  line?: number;
}

/**
 * Refused locally, before anything was sent: an invalid unit name, invalid options, an empty
 * options list, or a desiredState other than `inactive | loaded | launched` (fleet would store it
 * unvalidated and make the unit unreadable). Carries every problem found.
 */
export class FleetValidationError extends FleetError {
  override readonly name = 'FleetValidationError';
  readonly problems: readonly ValidationProblem[];
  constructor(message: string, problems: readonly ValidationProblem[], context: FleetErrorContext = {}) {
    super(message, FLEET_ERROR_CODES.invalidUnit, context);
    this.problems = Object.freeze([...problems]);
  }
}

/** The endpoint string cannot be used (no or unknown scheme, host on a unix URL, …). */
export class InvalidEndpointError extends FleetError {
  override readonly name = 'InvalidEndpointError';
  constructor(message: string, endpoint: string, cause?: unknown) {
    super(message, FLEET_ERROR_CODES.invalidEndpoint, { endpoint, cause });
  }
}

/** A client option is invalid (wrong type or range, unreadable TLS file). Names the option. */
export class InvalidClientOptionsError extends FleetError {
  override readonly name = 'InvalidClientOptionsError';
  /** The option at fault, e.g. `retry.limit`. */
  readonly option: string;
  constructor(message: string, option: string, cause?: unknown) {
    super(message, FLEET_ERROR_CODES.invalidOptions, { cause });
    this.option = option;
  }
}

function hasCode(error: unknown, code: FleetErrorCode): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === code;
}

/**
 * Is `error` a FleetError (optionally with the given code)? Checks the code, not the prototype,
 * so it also works across duplicated copies of this package.
 */
export function isFleetError(error: unknown, code?: FleetErrorCode): error is FleetError {
  if (!(error instanceof Error)) return false;
  const actual = (error as { code?: unknown }).code;
  if (code !== undefined) return actual === code;
  return typeof actual === 'string' && (Object.values(FLEET_ERROR_CODES) as string[]).includes(actual);
}

export const isFleetUnreachableError = (e: unknown): e is FleetUnreachableError =>
  hasCode(e, FLEET_ERROR_CODES.unreachable);
export const isFleetTimeoutError = (e: unknown): e is FleetTimeoutError =>
  hasCode(e, FLEET_ERROR_CODES.timeout);
export const isFleetNotFoundError = (e: unknown): e is FleetNotFoundError =>
  hasCode(e, FLEET_ERROR_CODES.notFound);
export const isFleetConflictError = (e: unknown): e is FleetConflictError =>
  hasCode(e, FLEET_ERROR_CODES.conflict);
export const isFleetRejectedError = (e: unknown): e is FleetRejectedError =>
  hasCode(e, FLEET_ERROR_CODES.rejected);
export const isFleetServerError = (e: unknown): e is FleetServerError => hasCode(e, FLEET_ERROR_CODES.server);
export const isFleetUnavailableError = (e: unknown): e is FleetUnavailableError =>
  hasCode(e, FLEET_ERROR_CODES.unavailable);
export const isNotFleetError = (e: unknown): e is NotFleetError => hasCode(e, FLEET_ERROR_CODES.notFleet);
export const isFleetBadResponseError = (e: unknown): e is FleetBadResponseError =>
  hasCode(e, FLEET_ERROR_CODES.badResponse);
export const isFleetValidationError = (e: unknown): e is FleetValidationError =>
  hasCode(e, FLEET_ERROR_CODES.invalidUnit);
export const isInvalidEndpointError = (e: unknown): e is InvalidEndpointError =>
  hasCode(e, FLEET_ERROR_CODES.invalidEndpoint);
export const isInvalidClientOptionsError = (e: unknown): e is InvalidClientOptionsError =>
  hasCode(e, FLEET_ERROR_CODES.invalidOptions);
