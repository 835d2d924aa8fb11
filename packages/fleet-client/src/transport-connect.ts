/**
 * The transport seam: an http.Agent whose connections come from a caller's `connect()` (an SSH
 * channel, a SOCKS socket, …) instead of from the client. The request code above it does not
 * change: got sends every request, retries and later pages included, through this agent.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ResolvedTls } from './client-options.js';
import type { FleetEndpoint } from './endpoint.js';

/** Where the endpoint points, handed to `connect()`. */
export type ConnectTarget =
  | {
      /** A unix socket on the far side, e.g. `/var/run/fleet.sock` (ssh2: `openssh_forwardOutStreamLocal`). */
      kind: 'unix';
      socketPath: string;
      /** The parsed endpoint. */
      endpoint: FleetEndpoint;
    }
  | {
      /** A TCP address on the far side (ssh2: `forwardOut`; SOCKS: the destination). */
      kind: 'tcp';
      host: string;
      port: number;
      /** `true` for an `https:` endpoint: the client runs TLS over the stream it gets. */
      tls: boolean;
      /** The parsed endpoint. */
      endpoint: FleetEndpoint;
    };

/** Opens one connection to fleet's API: a duplex stream, or a promise of one. */
export type ConnectFunction = (target: ConnectTarget) => Duplex | Promise<Duplex>;

/** A failure of the caller's `connect()`; its `code` is the original's, else `ERR_FLEET_CONNECT`. */
export class ConnectFailure extends Error {
  override readonly name = 'ConnectFailure';
  readonly code: string;
  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`connect() failed: ${message}`, { cause });
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : 'ERR_FLEET_CONNECT';
  }
}

/** Is this failure the caller's `connect()` (not the stream it returned)? */
export function isConnectFailure(error: unknown): error is ConnectFailure {
  return error instanceof ConnectFailure;
}

function targetOf(endpoint: FleetEndpoint): ConnectTarget {
  if (endpoint.kind === 'unix') return { kind: 'unix', socketPath: endpoint.socketPath, endpoint };
  return {
    kind: 'tcp',
    host: endpoint.hostname,
    port: endpoint.port,
    tls: endpoint.kind === 'https',
    endpoint,
  };
}

const noop = () => undefined;

/**
 * http.Agent calls net.Socket methods (keep-alive, ref/unref, idle timeout) on its sockets; an
 * SSH channel or another plain Duplex lacks them. Missing ones become no-ops, as ssh2's own
 * HTTP agents do.
 */
function asSocket(stream: Duplex): net.Socket {
  const s = stream as Duplex &
    Partial<Record<'setKeepAlive' | 'setNoDelay' | 'setTimeout' | 'ref' | 'unref', unknown>>;
  for (const method of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref'] as const) {
    if (typeof s[method] !== 'function') s[method] = noop;
  }
  return s as unknown as net.Socket;
}

/** An http.Agent that asks `connect()` for each new connection (TLS on top for `https:` endpoints). */
export class ConnectAgent extends http.Agent {
  readonly #connect: ConnectFunction;
  readonly #target: ConnectTarget;
  readonly #tls: ResolvedTls;

  constructor(
    connect: ConnectFunction,
    endpoint: FleetEndpoint,
    tlsMaterial: ResolvedTls,
    keepAlive: boolean,
  ) {
    super({ keepAlive });
    this.#connect = connect;
    this.#target = targetOf(endpoint);
    this.#tls = tlsMaterial;
    if (endpoint.kind === 'https') {
      // Node's https.request only accepts an agent whose protocol is https:.
      (this as { protocol?: string }).protocol = 'https:';
      (this as { defaultPort?: number }).defaultPort = 443;
    }
  }

  override createConnection(
    _options: net.NetConnectOpts,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | undefined {
    const done = callback ?? noop;
    let opened: Duplex | Promise<Duplex>;
    try {
      opened = this.#connect(this.#target);
    } catch (error) {
      done(new ConnectFailure(error), undefined as never);
      return undefined;
    }
    Promise.resolve(opened).then(
      (stream) => {
        if (stream === null || typeof stream !== 'object' || typeof stream.pipe !== 'function') {
          done(
            new ConnectFailure(new TypeError('connect() must return a duplex stream')),
            undefined as never,
          );
          return;
        }
        done(null, this.#secure(stream));
      },
      (error: unknown) => done(new ConnectFailure(error), undefined as never),
    );
    return undefined;
  }

  #secure(stream: Duplex): Duplex {
    const target = this.#target;
    if (target.kind !== 'tcp' || !target.tls) return asSocket(stream);
    return tls.connect({
      socket: stream,
      host: target.host,
      ...(net.isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...this.#tls,
    });
  }
}
