import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResolvedClientOptions, ResolvedTls } from './client-options.js';
import type { FleetEndpoint } from './endpoint.js';
import { ConnectAgent } from './transport-connect.js';

/**
 * An http.Agent that opens every connection on a unix socket, whatever the request URL says.
 * This is the dependable way round got 14's bug (a rebuilt request — a retry, page 2+ — loses a
 * `unix:` URL's socket path): the URL stays an ordinary `http://domain-sock/...` and only the
 * agent knows the socket.
 */
export class UnixSocketAgent extends http.Agent {
  readonly socketPath: string;

  constructor(socketPath: string, options: http.AgentOptions = {}) {
    super(options);
    this.socketPath = socketPath;
  }

  /** Opens the unix socket; connection errors (ENOENT, ECONNREFUSED) surface on the request. */
  override createConnection(): Duplex {
    return net.createConnection({ path: this.socketPath });
  }
}

/**
 * The agent every request goes through: the caller's `agent` as is; a ConnectAgent over the
 * caller's `connect()`; else the client's own for the endpoint. `owned` says whether `close()`
 * may destroy it.
 */
export function agentFor(options: ResolvedClientOptions): { agent: http.Agent; owned: boolean } {
  const { endpoint, tls, keepAlive, connect, agent } = options;
  if (agent !== undefined) return { agent, owned: false };
  if (connect !== undefined)
    return { agent: new ConnectAgent(connect, endpoint, tls, keepAlive), owned: true };
  return { agent: createAgent(endpoint, tls, keepAlive), owned: true };
}

/** The agent for an endpoint: a unix-socket agent, a plain http.Agent, or an https.Agent with the TLS material. */
export function createAgent(endpoint: FleetEndpoint, tls: ResolvedTls, keepAlive: boolean): http.Agent {
  const common: http.AgentOptions = { keepAlive };
  switch (endpoint.kind) {
    case 'unix':
      return new UnixSocketAgent(endpoint.socketPath, common);
    case 'http':
      return new http.Agent(common);
    case 'https':
      return new https.Agent({ ...common, ...tls });
  }
}
