import { FLEET_ERROR_CODES, isFleetError, NotFleetError } from './errors.js';
import type { CallOptions, FleetApi } from './fleet-api.js';

/** Options of {@link verifyFleet}. */
export interface VerifyFleetOptions extends CallOptions {
  /**
   * The endpoint to name in a NotFleetError.
   * @default the client's `endpoint.input` (a FleetClient), else `'the fleet endpoint'`
   */
  endpoint?: string;
}

/** Failures that say where fleet is (or how it is reached), not what answered: rethrown as they are. */
const NOT_AN_ANSWER = new Set<string>([
  'ERR_FLEET_UNREACHABLE',
  'ERR_FLEET_TIMEOUT',
  'ERR_FLEET_UNAVAILABLE',
  'ERR_FLEET_INVALID_OPTIONS',
  FLEET_ERROR_CODES.tunnelUnreachable,
  FLEET_ERROR_CODES.tunnelAuth,
  FLEET_ERROR_CODES.hostKeyUnknown,
  FLEET_ERROR_CODES.hostKeyChanged,
  FLEET_ERROR_CODES.remoteSocket,
  FLEET_ERROR_CODES.socksProxy,
]);

function endpointOf(api: FleetApi, given: string | undefined): string {
  if (given !== undefined) return given;
  const input = (api as { endpoint?: { input?: unknown } }).endpoint?.input;
  return typeof input === 'string' ? input : 'the fleet endpoint';
}

/**
 * Checks that the endpoint is fleet, as a front end's first contact: asks for fleetd's
 * `Server: fleetd/X.Y.Z` header (`api.serverVersion()`, one `GET /machines` unless a response was
 * already seen) and returns the version, e.g. `'1.0.0'`.
 *
 * - Nothing answers: the client's FleetUnreachableError or FleetTimeoutError (or the SSH tunnel's
 *   or SOCKS proxy's own error), as is. A client that
 *   has never had a response retries this only for `retry.firstContactTime` (2 s), so a wrong
 *   endpoint fails fast.
 * - fleet answers 503 until the retry budget is spent: FleetUnavailableError, as is.
 * - Something answers, but not as fleet: NotFleetError (`ERR_NOT_FLEET`), naming the endpoint.
 * - Aborted: the signal's reason.
 */
export async function verifyFleet(api: FleetApi, options: VerifyFleetOptions = {}): Promise<string> {
  const { signal } = options;
  let version: string | undefined;
  try {
    version = await api.serverVersion(signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw error;
    if (isFleetError(error) && NOT_AN_ANSWER.has(error.code)) throw error;
    throw new NotFleetError(
      endpointOf(api, options.endpoint),
      `its answer was not fleet's (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (!version) {
    throw new NotFleetError(
      endpointOf(api, options.endpoint),
      'its responses carry no "Server: fleetd/…" header',
    );
  }
  return version;
}
