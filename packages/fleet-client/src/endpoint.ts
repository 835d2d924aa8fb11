import { InvalidEndpointError } from './errors.js';

/** fleetctl's default endpoint: fleetd's socket-activated unix socket. */
export const DEFAULT_ENDPOINT = 'unix:///var/run/fleet.sock';

/** fleet's API base path; every resource lives under it. */
export const FLEET_API_PATH = '/fleet/v1';

/**
 * Host used in the URLs of requests that actually go over a unix socket. It is cosmetic (it ends
 * up in the `Host` header, as fleetctl's `domain-sock` does); the connection is opened by the
 * client's agent, which is what keeps retries and page 2+ on the socket (got's unix-socket bug).
 */
export const UNIX_SOCKET_HOST = 'domain-sock';

/** Where and how to reach fleet, parsed from an endpoint string. */
export type FleetEndpoint = UnixFleetEndpoint | TcpFleetEndpoint;

interface EndpointBase {
  /** The string as given (the whole comma-separated list, if one was given). */
  readonly input: string;
  /** Canonical form of the entry used, e.g. `unix:///var/run/fleet.sock` or `http://127.0.0.1:49153`. */
  readonly url: string;
  /**
   * Base URL requests are made against, always ending in `/fleet/v1/`. For unix sockets its host is
   * the cosmetic {@link UNIX_SOCKET_HOST}.
   */
  readonly baseUrl: string;
  /** Path part of `baseUrl`, e.g. `/fleet/v1/` or `/proxy/fleet/v1/`. */
  readonly basePath: string;
  /** Entries after the first of a comma-separated list; like fleetctl, the client ignores them. */
  readonly ignored: readonly string[];
}

export interface UnixFleetEndpoint extends EndpointBase {
  readonly kind: 'unix';
  /** Absolute path of the socket file. */
  readonly socketPath: string;
}

export interface TcpFleetEndpoint extends EndpointBase {
  readonly kind: 'http' | 'https';
  readonly hostname: string;
  readonly port: number;
}

function invalid(input: string, why: string, cause?: unknown): InvalidEndpointError {
  return new InvalidEndpointError(`invalid fleet endpoint "${input}": ${why}`, input, cause);
}

/** `/a/b/` → `/a/b`, `/a/fleet/v1/` → `/a`: the prefix before fleet's own base path. */
function stripApiSuffix(path: string): string {
  let p = path.replace(/\/+$/, '');
  if (p.endsWith(FLEET_API_PATH)) p = p.slice(0, -FLEET_API_PATH.length).replace(/\/+$/, '');
  return p;
}

function decodePath(input: string, encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch (cause) {
    throw invalid(input, `cannot percent-decode "${encoded}"`, cause);
  }
}

function unixEndpoint(input: string, socketPath: string, ignored: readonly string[]): UnixFleetEndpoint {
  if (!socketPath.startsWith('/')) {
    throw invalid(input, `the socket path "${socketPath}" must be absolute, e.g. unix:///var/run/fleet.sock`);
  }
  let path = stripApiSuffix(socketPath);
  if (path === '') path = '/';
  if (path === '/') throw invalid(input, 'no socket path given');
  return {
    kind: 'unix',
    input,
    url: `unix://${path}`,
    socketPath: path,
    baseUrl: `http://${UNIX_SOCKET_HOST}${FLEET_API_PATH}/`,
    basePath: `${FLEET_API_PATH}/`,
    ignored,
  };
}

/**
 * Parses an endpoint as fleetctl's `--endpoint` accepts it, plus the old fs's `http+unix://` form.
 *
 * - `unix:///var/run/fleet.sock`, `unix:/var/run/fleet.sock`, `file:///…`: a unix socket. A host
 *   (`unix://var/run/fleet.sock`) is rejected with fleetctl's `unable to connect to host "var" with
 *   scheme "unix"`.
 * - `http+unix://%2Fvar%2Frun%2Ffleet.sock`: a unix socket, path percent-encoded as the host.
 * - `http://host[:port][/prefix]`, `https://…`: TCP; an optional path prefix is kept (for proxies).
 * - A comma-separated list: the first entry is used, the rest reported in `ignored` (fleetctl warns).
 * - Trailing slashes and an explicit `/fleet/v1` suffix are dropped, so the base path is never doubled.
 *
 * @throws InvalidEndpointError (code `ERR_FLEET_INVALID_ENDPOINT`)
 */
export function parseEndpoint(input: string): FleetEndpoint {
  if (typeof input !== 'string') throw invalid(String(input), 'the endpoint must be a string');
  const entries = input.split(',').map((entry) => entry.trim());
  const first = entries[0] ?? '';
  const ignored = entries.slice(1).filter((entry) => entry !== '');
  if (first === '') throw invalid(input, 'it is empty');

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(first)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw invalid(input, 'a scheme is required, e.g. unix:///var/run/fleet.sock or http://127.0.0.1:49153');
  }

  if (scheme === 'http+unix') {
    const match = /^http\+unix:\/\/([^/?#]*)([^?#]*)$/i.exec(first);
    if (match === null) throw invalid(input, 'expected http+unix://<percent-encoded socket path>');
    const socketPath = decodePath(input, match[1] ?? '');
    const rest = stripApiSuffix(match[2] ?? '');
    if (rest !== '') {
      throw invalid(input, `unexpected path "${rest}" after the socket path (only /fleet/v1 is allowed)`);
    }
    return unixEndpoint(input, socketPath, ignored);
  }

  let url: URL;
  try {
    url = new URL(first);
  } catch (cause) {
    throw invalid(input, 'it is not a valid URL', cause);
  }

  if (scheme === 'unix' || scheme === 'file') {
    if (url.host !== '') {
      throw new InvalidEndpointError(
        `invalid fleet endpoint "${input}": unable to connect to host "${url.host}" with scheme "${scheme}" (a unix socket needs three slashes: ${scheme}:///var/run/fleet.sock)`,
        input,
      );
    }
    return unixEndpoint(input, decodePath(input, url.pathname), ignored);
  }

  if (scheme !== 'http' && scheme !== 'https') {
    throw invalid(input, `unsupported scheme "${scheme}" (use unix://, http:// or https://)`);
  }
  if (url.hostname === '') throw invalid(input, 'no host given');
  if (url.username !== '' || url.password !== '')
    throw invalid(input, 'credentials in the URL are not supported');
  if (url.search !== '' || url.hash !== '') throw invalid(input, 'a query or fragment is not allowed');

  const prefix = stripApiSuffix(url.pathname);
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  const origin = `${scheme}://${url.host}`;
  return {
    kind: scheme,
    input,
    url: `${origin}${prefix}`,
    hostname: url.hostname,
    port,
    baseUrl: `${origin}${prefix}${FLEET_API_PATH}/`,
    basePath: `${prefix}${FLEET_API_PATH}/`,
    ignored,
  };
}
