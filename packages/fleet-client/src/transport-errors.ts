import {
  FleetBadResponseError,
  FleetError,
  type FleetErrorContext,
  FleetTimeoutError,
  FleetUnreachableError,
} from './errors.js';
import type { FailureFacts } from './retry.js';
import { isConnectFailure } from './transport-connect.js';

/** What is known about the call when an attempt fails without a response. */
export interface FailureContext {
  method: string;
  path: string;
  endpoint: string;
  timeoutMs: number;
  connectTimeoutMs?: number | undefined;
  /**
   * The request went out on a kept-alive connection. A reset there almost always means the server
   * closed the idle connection as the request was sent (Node's documented case), so it was not seen.
   */
  reusedSocket?: boolean | undefined;
  attempt: number;
  unitName?: string | undefined;
}

/** A mapped failure: the error to throw and the facts the retry decision needs. */
export interface ClassifiedFailure {
  error: FleetError;
  facts: FailureFacts;
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|EPROTO$)/;

/** Connection never made: fleet cannot have seen the request. */
const NOT_CONNECTED: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOENT: 'the socket does not exist; is fleetd running?',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  EAI_AGAIN: 'temporary DNS failure',
  // A unix socket whose listen backlog is full refuses the connect with EAGAIN (a busy fleetd).
  EAGAIN: 'the socket is busy (listen backlog full)',
  ENETDOWN: 'network down',
};

/** Not transient: retrying will not help. */
const PERMANENT: Record<string, string> = {
  ENOTFOUND: 'host name not found (DNS)',
  EACCES: 'permission denied (check the socket file permissions)',
  ENOTSOCK: 'the path is not a socket',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function rootCause(error: unknown): unknown {
  // got wraps the system error in a RequestError whose `cause` is the original.
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof Error ? cause : error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** OpenSSL's short reason (`tlsv13 alert certificate required`) rather than its multi-part message. */
function tlsReason(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason;
  if (typeof reason === 'string' && reason !== '') return reason;
  return messageOf(error).split('\n')[0] ?? '';
}

function suffix(attempt: number): string {
  return attempt > 1 ? ` (${attempt} attempts)` : '';
}

/**
 * Maps a request that got no HTTP response (an error from got or the socket) to a FleetError,
 * with whether it is transient and whether fleet may have acted on the request.
 * Aborts are not handled here: the transport rethrows the signal's reason before calling this.
 */
export function classifyFailure(raw: unknown, ctx: FailureContext): ClassifiedFailure {
  const cause = rootCause(raw);
  const name = (raw as { name?: unknown } | null)?.name;
  const code = codeOf(raw) ?? codeOf(cause);
  const op = `${ctx.method} ${ctx.path} failed`;
  const base: FleetErrorContext = {
    method: ctx.method,
    path: ctx.path,
    endpoint: ctx.endpoint,
    attempts: ctx.attempt,
    unitName: ctx.unitName,
    cause,
  };

  if (name === 'TimeoutError' && (raw as { event?: unknown }).event === 'connect') {
    const timeoutMs = ctx.connectTimeoutMs ?? ctx.timeoutMs;
    return {
      error: new FleetTimeoutError(
        `${op}: could not connect to ${ctx.endpoint} within ${timeoutMs} ms (timeout.connect)${suffix(ctx.attempt)}`,
        { ...base, timeoutMs, phase: 'connect', transient: true },
      ),
      facts: { transient: true, delivery: 'not-delivered' },
    };
  }

  if (name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return {
      error: new FleetTimeoutError(
        `${op}: no response within ${ctx.timeoutMs} ms (timeout.request)${suffix(ctx.attempt)}`,
        { ...base, timeoutMs: ctx.timeoutMs, phase: 'request', transient: true },
      ),
      facts: { transient: true, delivery: 'maybe-delivered' },
    };
  }

  if (isConnectFailure(cause) && cause.cause instanceof FleetError) {
    // The tunnel's or proxy's own error (auth, host key, unreachable tunnel host, …) says more
    // than "unreachable": it is thrown as it is. Fleet never saw the request.
    const own = cause.cause;
    return { error: own, facts: { transient: own.transient, delivery: 'not-delivered' } };
  }

  if (isConnectFailure(cause)) {
    // The caller's connect() failed: no stream, so fleet never saw the request. Retried only when
    // its code says "nothing listening" (as for the client's own connections).
    const transient = cause.code in NOT_CONNECTED;
    const original = cause.cause instanceof Error ? cause.cause.message : String(cause.cause);
    return {
      error: new FleetUnreachableError(
        `${op}: the connect option could not open a connection to ${ctx.endpoint}: ${original} (${cause.code})${suffix(ctx.attempt)}`,
        { ...base, reason: cause.code, transient },
      ),
      facts: { transient, delivery: 'not-delivered' },
    };
  }

  if (code !== undefined && code in NOT_CONNECTED) {
    return {
      error: new FleetUnreachableError(
        `${op}: cannot connect to fleet at ${ctx.endpoint}: ${NOT_CONNECTED[code]} (${code})${suffix(ctx.attempt)}`,
        { ...base, reason: code, transient: true },
      ),
      facts: { transient: true, delivery: 'not-delivered' },
    };
  }

  const resetDelivery = ctx.reusedSocket ? 'not-delivered' : 'maybe-delivered';

  if (code === 'ECONNRESET' && /socket hang up/i.test(messageOf(raw))) {
    return {
      error: new FleetBadResponseError(
        `${op}: fleet closed the connection without a response (socket hang up)${suffix(ctx.attempt)}`,
        { ...base, transient: true },
      ),
      facts: { transient: true, delivery: resetDelivery },
    };
  }

  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      error: new FleetUnreachableError(
        `${op}: the connection to ${ctx.endpoint} was reset (${code})${suffix(ctx.attempt)}`,
        { ...base, reason: code, transient: true },
      ),
      facts: { transient: true, delivery: resetDelivery },
    };
  }

  if (code !== undefined && TLS_CODE.test(code)) {
    return {
      error: new FleetUnreachableError(
        `${op}: TLS with ${ctx.endpoint} failed: ${tlsReason(cause)} (${code}); check caFile, certFile and keyFile`,
        { ...base, reason: code, transient: false },
      ),
      facts: { transient: false, delivery: 'not-delivered' },
    };
  }

  if (code !== undefined && code in PERMANENT) {
    return {
      error: new FleetUnreachableError(
        `${op}: cannot connect to fleet at ${ctx.endpoint}: ${PERMANENT[code]} (${code})`,
        {
          ...base,
          reason: code,
          transient: false,
        },
      ),
      facts: { transient: false, delivery: 'not-delivered' },
    };
  }

  return {
    error: new FleetUnreachableError(
      `${op}: request to ${ctx.endpoint} failed: ${messageOf(cause)}${code ? ` (${code})` : ''}`,
      { ...base, reason: code, transient: false },
    ),
    facts: { transient: false, delivery: 'maybe-delivered' },
  };
}
