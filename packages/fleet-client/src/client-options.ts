import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { type Clock, systemClock } from './clock.js';
import { DEFAULT_ENDPOINT, type FleetEndpoint, parseEndpoint } from './endpoint.js';
import type { FleetError } from './errors.js';
import { fail, hook, number } from './option-checks.js';
import { type ResolvedRetryOptions, type RetryOptions, resolveRetryOptions } from './retry-options.js';
import type { ConnectFunction } from './transport-connect.js';
import { createSocksProxy, type SocksProxyOptions } from './tunnel/socks-proxy.js';
import { createSshTunnel } from './tunnel/ssh-tunnel.js';
import type { SshTunnelOptions } from './tunnel/tunnel-options.js';

/** Passed to `onRequest` just before each attempt is sent. */
export interface RequestInfo {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Readable path, e.g. `/fleet/v1/units/web@1.service` (query not included). */
  path: string;
  /** Query string sent, without `?` (`""` when none), e.g. `unitName=a.service&nextPageToken=ZAACAA%3D%3D`. */
  query: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** Passed to `onResponse` after each attempt, whether it got a response or failed. */
export interface ResponseInfo extends RequestInfo {
  /** HTTP status, absent when no response came (connection error, timeout, abort). */
  status?: number;
  /** Milliseconds from sending to the end of the response or the failure (wall clock). */
  duration: number;
  /** Why the attempt got no response (an abort gives the signal's reason). */
  error?: FleetError | unknown;
}

/** Timeouts, per attempt. */
export interface TimeoutOptions {
  /** Milliseconds allowed for one attempt, from sending to the last byte of the response. @default 5000 */
  request?: number;
  /**
   * Milliseconds allowed to open the connection (TCP connect, unix socket connect, TLS handshake
   * not included). A connect timeout means fleet never saw the request, so even `createUnit`
   * retries it. @default undefined (only bounded by `request`)
   */
  connect?: number;
}

/** Options of {@link createFleetClient}. Validated once, when the client is created. */
export interface FleetClientOptions {
  /**
   * Where fleet's API listens: `unix:///path`, `unix:/path`, `http+unix://%2Fpath`,
   * `http://host:port[/prefix]` or `https://…` (see `parseEndpoint`).
   * @default 'unix:///var/run/fleet.sock'
   */
  endpoint?: string;
  /** PEM file of the CA(s) that sign the server certificate (https only). @default undefined (system CAs) */
  caFile?: string;
  /** PEM file of the client certificate (https only; needs `keyFile`). @default undefined */
  certFile?: string;
  /** PEM file of the client certificate's private key (https only; needs `certFile`). @default undefined */
  keyFile?: string;
  /** CA certificate(s) as PEM; instead of `caFile`. @default undefined */
  ca?: string | Buffer;
  /** Client certificate as PEM; instead of `certFile`. @default undefined */
  cert?: string | Buffer;
  /** Client private key as PEM; instead of `keyFile`. @default undefined */
  key?: string | Buffer;
  /** Per-attempt timeouts. @default { request: 5000 } */
  timeout?: TimeoutOptions;
  /**
   * Retry settings for transient failures (per the request's retry policy), bounded by time.
   * @default { maxRetryTime: 20000, firstContactTime: 2000, initialDelay: 250, maxDelay: 4000, factor: 2 }
   */
  retry?: RetryOptions;
  /**
   * Opens the connection for each new socket instead of the client: return a duplex stream to
   * fleet's API (or a promise of one), e.g. an SSH channel from ssh2's `forwardOut` /
   * `openssh_forwardOutStreamLocal`, or a socket from a SOCKS client. It is called with where the
   * endpoint points (`{kind: 'unix', socketPath}` or `{kind: 'tcp', host, port, tls}`); for an
   * `https:` endpoint the client runs TLS over the stream with the TLS options. Every request,
   * retries and later pages included, goes through it; kept-alive streams are reused. A throw or
   * rejection fails the request with FleetUnreachableError (retried if its `code` is a
   * connection-refused kind, e.g. `ECONNREFUSED`). Not together with `agent`.
   * @default undefined (the client opens unix sockets and TCP connections itself)
   */
  connect?: ConnectFunction;
  /**
   * The `http.Agent` (an `https.Agent` for `https:` endpoints) every request goes through, e.g.
   * a SOCKS or tunnelling agent. The agent then owns connections, keep-alive and TLS, so the TLS
   * options and `keepAlive` are refused with it, and `close()` does not destroy it. With a unix
   * endpoint the request URL's host is the placeholder `domain-sock`: the agent must open the
   * socket itself. Not together with `connect`.
   * @default undefined (the client's own agent for the endpoint)
   */
  agent?: http.Agent;
  /**
   * Reach fleet through an SSH tunnel to one machine of the cluster, as fleetctl's `--tunnel`:
   * `'HOST[:PORT]'` or {@link SshTunnelOptions} (user, ssh-agent socket, identity file, known_hosts
   * files, strict host key checking, timeout). The endpoint is then as seen from that machine: the
   * default `unix:///var/run/fleet.sock` is its fleet socket (streamlocal forwarding), an
   * `http://host:port` endpoint is reached from it (direct-tcpip). One SSH connection serves every
   * request and is re-established once if it drops; `close()` ends it. Failures reject with the
   * tunnel's own errors (TunnelUnreachableError, TunnelAuthError, HostKeyUnknownError,
   * HostKeyChangedError, TunnelRemoteSocketError). To share the tunnel with health checks, use
   * `createSshTunnel()` and pass its `connect` instead. Not together with `connect`, `agent` or `socksProxy`.
   * @default undefined (no tunnel)
   */
  tunnel?: string | SshTunnelOptions;
  /**
   * Reach fleet through a SOCKS5 proxy (e.g. `ssh -N -D 127.0.0.1:1080 core@bastion`):
   * `'HOST:PORT'` (socks5h: the proxy resolves names), a `socks5h://`/`socks5://` URL, or
   * {@link SocksProxyOptions}. Needs an `http(s)://host:port` endpoint, as seen from the proxy.
   * Failures reject with SocksProxyError. Not together with `connect`, `agent` or `tunnel`.
   * @default undefined (no proxy)
   */
  socksProxy?: string | SocksProxyOptions;
  /** Clock used for the waits between retries. @default systemClock */
  clock?: Clock;
  /** `User-Agent` header. @default 'fleet-service-client/0.1' */
  userAgent?: string;
  /** Reuse connections between requests. @default true */
  keepAlive?: boolean;
  /** Called before every attempt (for logging and request counting). @default undefined */
  onRequest?: (info: RequestInfo) => void;
  /** Called after every attempt, with its status or its error. @default undefined */
  onResponse?: (info: ResponseInfo) => void;
}

export const DEFAULT_REQUEST_TIMEOUT = 5000;
export const DEFAULT_USER_AGENT = 'fleet-service-client/0.1';

/** TLS material, read and ready to hand to an https.Agent. */
export interface ResolvedTls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
}

/** Options after validation, with defaults filled in and files read. */
export interface ResolvedClientOptions {
  endpoint: FleetEndpoint;
  tls: ResolvedTls;
  timeoutMs: number;
  connectTimeoutMs: number | undefined;
  retry: ResolvedRetryOptions;
  clock: Clock;
  connect: ConnectFunction | undefined;
  agent: http.Agent | undefined;
  /** Ends what the client opened for `tunnel` (its SSH connection), on `close()`. */
  release: (() => void) | undefined;
  userAgent: string;
  keepAlive: boolean;
  onRequest: ((info: RequestInfo) => void) | undefined;
  onResponse: ((info: ResponseInfo) => void) | undefined;
}

function material(
  options: FleetClientOptions,
  fileOption: 'caFile' | 'certFile' | 'keyFile',
  inline: 'ca' | 'cert' | 'key',
): Buffer | string | undefined {
  const file = options[fileOption];
  const value = options[inline];
  if (file !== undefined && value !== undefined)
    fail(fileOption, `give either ${fileOption} or ${inline}, not both`);
  if (value !== undefined) {
    if (typeof value !== 'string' && !Buffer.isBuffer(value))
      fail(inline, 'expected a PEM string or a Buffer');
    return value;
  }
  if (file === undefined) return undefined;
  if (typeof file !== 'string' || file === '') fail(fileOption, 'expected a file path');
  try {
    return readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return fail(fileOption, `cannot read "${file}" (${code})`, cause);
  }
}

const AGENT_EXCLUDES = ['caFile', 'certFile', 'keyFile', 'ca', 'cert', 'key', 'keepAlive'] as const;

/** `tunnel` / `socksProxy` as a `connect` function (and what `close()` must end). */
function viaOptions(
  options: FleetClientOptions,
  endpoint: FleetEndpoint,
): { connect: ConnectFunction; release?: () => void } | undefined {
  const { tunnel, socksProxy } = options;
  if (tunnel === undefined && socksProxy === undefined) return undefined;
  const name = tunnel !== undefined ? 'tunnel' : 'socksProxy';
  if (tunnel !== undefined && socksProxy !== undefined)
    fail('socksProxy', 'give either tunnel or socksProxy, not both');
  if (options.connect !== undefined) fail(name, `give either ${name} or connect, not both`);
  if (options.agent !== undefined) fail(name, `give either ${name} or agent, not both`);
  if (tunnel !== undefined) {
    const ssh = createSshTunnel(tunnel);
    return { connect: ssh.connect, release: () => ssh.close() };
  }
  if (endpoint.kind === 'unix')
    fail('socksProxy', 'a SOCKS proxy reaches TCP addresses only: give an http://HOST:PORT endpoint');
  return { connect: createSocksProxy(socksProxy as string | SocksProxyOptions).connect };
}

function transportHooks(
  options: FleetClientOptions,
  endpoint: FleetEndpoint,
): {
  connect: ConnectFunction | undefined;
  agent: http.Agent | undefined;
  release: (() => void) | undefined;
} {
  const via = viaOptions(options, endpoint);
  if (via) return { connect: via.connect, agent: undefined, release: via.release };
  const connect = hook<ConnectFunction>('connect', options.connect);
  const agent = options.agent;
  if (agent === undefined) return { connect, agent: undefined, release: undefined };
  if (typeof (agent as { addRequest?: unknown } | null)?.addRequest !== 'function') {
    fail('agent', 'expected an http.Agent (or https.Agent)');
  }
  if (connect !== undefined) fail('agent', 'give either agent or connect, not both');
  for (const key of AGENT_EXCLUDES) {
    if (options[key] !== undefined) {
      fail(key, `not used with the agent option: set it on the agent you pass (it owns connections and TLS)`);
    }
  }
  return { connect, agent, release: undefined };
}

/**
 * Validates every option once, fills in defaults and reads the TLS files.
 * @throws InvalidClientOptionsError naming the option, or InvalidEndpointError.
 */
export function resolveClientOptions(options: FleetClientOptions = {}): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'expected an object');
  const endpoint = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);

  const timeout = options.timeout ?? {};
  if (typeof timeout !== 'object' || timeout === null)
    fail('timeout', 'expected an object like { request: 5000 }');
  const timeoutMs = number('timeout.request', timeout.request, DEFAULT_REQUEST_TIMEOUT, { min: 1 });
  const connectTimeoutMs =
    timeout.connect === undefined ? undefined : number('timeout.connect', timeout.connect, 0, { min: 1 });

  const retry = resolveRetryOptions(options.retry);

  const clock = options.clock ?? systemClock;
  if (typeof clock?.sleep !== 'function' || typeof clock.now !== 'function') {
    fail('clock', 'expected a Clock with now() and sleep(ms, signal)');
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  if (typeof userAgent !== 'string' || userAgent === '' || /[\r\n]/.test(userAgent)) {
    fail('userAgent', 'expected a non-empty single-line string');
  }
  const keepAlive = options.keepAlive ?? true;
  if (typeof keepAlive !== 'boolean') fail('keepAlive', 'expected a boolean');

  const { connect, agent, release } = transportHooks(options, endpoint);

  const tls: ResolvedTls = {};
  const ca = material(options, 'caFile', 'ca');
  const cert = material(options, 'certFile', 'cert');
  const key = material(options, 'keyFile', 'key');
  if ((cert === undefined) !== (key === undefined)) {
    fail(cert === undefined ? 'certFile' : 'keyFile', 'a client certificate needs both certFile and keyFile');
  }
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;

  return {
    endpoint,
    tls,
    timeoutMs,
    connectTimeoutMs,
    retry,
    clock,
    connect,
    agent,
    release,
    userAgent,
    keepAlive,
    onRequest: hook('onRequest', options.onRequest),
    onResponse: hook('onResponse', options.onResponse),
  };
}
