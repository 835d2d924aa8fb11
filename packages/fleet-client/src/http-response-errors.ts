import {
  FleetBadResponseError,
  FleetConflictError,
  type FleetError,
  type FleetErrorContext,
  FleetNotFoundError,
  FleetRejectedError,
  FleetServerError,
  FleetUnavailableError,
} from './errors.js';
import type { TransportResponse } from './transport.js';

/** fleet's error entity, `{"error":{"code":404,"message":"unit does not exist"}}`, or `undefined`. */
export function parseFleetErrorBody(body: string): { code: number; message: string } | undefined {
  if (body === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const error = (parsed as { error?: unknown } | null)?.error as
      | { code?: unknown; message?: unknown }
      | undefined;
    if (typeof error !== 'object' || error === null) return undefined;
    if (typeof error.code !== 'number') return undefined;
    return { code: error.code, message: typeof error.message === 'string' ? error.message : '' };
  } catch {
    return undefined;
  }
}

/** Does the response come from fleetd itself (its `Server` header or its error entity)? */
export function looksLikeFleet(response: TransportResponse): boolean {
  const server = response.headers.server;
  if (typeof server === 'string' && /^fleetd\//i.test(server)) return true;
  return parseFleetErrorBody(response.body) !== undefined;
}

function contextOf(response: TransportResponse, extra: FleetErrorContext): FleetErrorContext {
  return {
    method: response.method,
    path: response.path,
    status: response.status,
    attempts: response.attempts,
    responseBody: response.body,
    ...extra,
  };
}

function attemptsSuffix(response: TransportResponse): string {
  return response.attempts > 1 ? ` (${response.attempts} attempts)` : '';
}

/**
 * The FleetError for a non-success answer: 404 → FleetNotFoundError, 409 → FleetConflictError,
 * other 4xx → FleetRejectedError, 503 → FleetUnavailableError (fleet is not serving, e.g. it cannot
 * reach etcd), other 5xx → FleetServerError, anything else → FleetBadResponseError.
 * The message is `METHOD PATH failed (STATUS): fleet's message`, then `(N attempts)` and `(note)` if any.
 */
export function errorFromResponse(
  response: TransportResponse,
  extra: FleetErrorContext = {},
  note?: string,
): FleetError {
  const entity = parseFleetErrorBody(response.body);
  const detail = entity
    ? entity.message
    : response.status >= 400 && response.statusMessage
      ? response.statusMessage
      : '';
  const message = `${response.method} ${response.path} failed (${response.status})${detail ? `: ${detail}` : ''}${attemptsSuffix(response)}${note ? ` (${note})` : ''}`;
  const context = contextOf(response, { ...extra, fleetMessage: entity?.message });
  const { status } = response;
  if (status === 404) return new FleetNotFoundError(message, context);
  if (status === 409) return new FleetConflictError(message, context);
  if (status >= 400 && status < 500) return new FleetRejectedError(message, context);
  if (status === 503) return new FleetUnavailableError(message, context);
  if (status >= 500 && status < 600) return new FleetServerError(message, context);
  return new FleetBadResponseError(`${message}: unexpected status`, context);
}

/** A FleetBadResponseError for an answer that is not what fleet sends, e.g. a body that is not JSON. */
export function badResponse(
  response: TransportResponse,
  why: string,
  extra: FleetErrorContext = {},
): FleetError {
  return new FleetBadResponseError(
    `${response.method} ${response.path} returned a bad response (${response.status}): ${why}`,
    contextOf(response, extra),
  );
}
