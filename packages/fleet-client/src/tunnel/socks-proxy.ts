/**
 * Connections through a SOCKS5 proxy (the coco deployer's `-socksProxy`, e.g. an `ssh -D` on the
 * operator's machine), on socks-proxy-agent: the proxy connects to the destination, so names and
 * addresses are those seen from the proxy's side (socks5h: the proxy also resolves the names).
 */
import type { ClientRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SocksProxyAgent } from 'socks-proxy-agent';
import { fail } from '../option-checks.js';
import type { ConnectFunction } from '../transport-connect.js';
import type { DialFunction, DialTarget } from './ssh-tunnel.js';
import { SocksProxyError } from './tunnel-errors.js';

/** Options of {@link createSocksProxy} and of `createFleetClient({ socksProxy })`. */
export interface SocksProxyOptions {
  /**
   * The proxy: `HOST:PORT`, or a URL `socks5h://HOST:PORT` (the proxy resolves names; the default
   * for `HOST:PORT`), `socks5://…` (names resolved locally), `socks4a://`, `socks4://`; user and
   * password in the URL are sent to the proxy and never shown.
   */
  proxy: string;
  /** Milliseconds allowed to reach the proxy and have it connect. @default 10000 */
  timeout?: number;
}

/** A SOCKS proxy, ready to open connections. */
export interface SocksProxy {
  /** For `createFleetClient({ connect })`: a connection to the (TCP) endpoint through the proxy. */
  readonly connect: ConnectFunction;
  /** A connection to `host:port` through the proxy, e.g. for health checks. */
  readonly dial: DialFunction;
  /** `host:port` of the proxy (no credentials). */
  readonly display: string;
}

const PROTOCOLS = ['socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:'];

/** Codes that mean "not there (yet)": worth retrying. */
const TRANSIENT =
  /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|timed out|Socket closed|HostUnreachable|ConnectionRefused|NetworkUnreachable|TTLExpired|Failure/;

/** Parses and checks the proxy option; the agent is created once and opens nothing until used. */
export function createSocksProxy(options: string | SocksProxyOptions): SocksProxy {
  const { proxy, timeout } = typeof options === 'string' ? { proxy: options, timeout: undefined } : options;
  if (typeof proxy !== 'string' || proxy.trim() === '')
    fail('socksProxy', 'expected "HOST:PORT" or a socks5h:// URL');
  const text = proxy.trim();
  const url = /^[a-z0-9]+:\/\//i.test(text) ? text : `socks5h://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    return fail('socksProxy', `"${redact(text)}" is not HOST:PORT or a socks5h:// URL`, cause);
  }
  if (!PROTOCOLS.includes(parsed.protocol))
    fail(
      'socksProxy',
      `unsupported scheme "${parsed.protocol}"; expected socks5h://, socks5://, socks4a:// or socks4://`,
    );
  if (parsed.port === '') fail('socksProxy', `"${redact(text)}" has no port; expected HOST:PORT`);
  const ms = timeout ?? 10_000;
  if (!Number.isInteger(ms) || ms < 1) fail('socksProxy.timeout', 'expected an integer ≥ 1');
  let agent: Promise<SocksProxyAgent> | undefined;
  // socks-proxy-agent is loaded on first use: importing the client does not pay for it
  const agentNow = () => {
    agent ??= import('socks-proxy-agent').then(
      ({ SocksProxyAgent }) => new SocksProxyAgent(parsed, { timeout: ms }),
    );
    return agent;
  };
  const display = `${parsed.hostname}:${parsed.port}`;

  const dial: DialFunction = async (target) => {
    // socks-proxy-agent's connect() only emits on and destroys the request it is given
    const request = { emit: () => false, destroy: () => undefined } as unknown as ClientRequest;
    try {
      const socket = await (await agentNow()).connect(request, {
        host: target.host,
        port: target.port,
        secureEndpoint: false,
      });
      // the proxy's idle timeout is for the handshake only: a kept-alive fleet connection may idle
      socket.setTimeout(0);
      socket.removeAllListeners('timeout');
      return socket as Duplex;
    } catch (error) {
      throw socksError(error, display, target);
    }
  };
  const connect: ConnectFunction = (target) => {
    if (target.kind === 'unix')
      throw new SocksProxyError(
        `a SOCKS proxy cannot reach a unix socket (${target.socketPath}): give an http://HOST:PORT endpoint`,
        { proxy: display, target: target.socketPath, transient: false },
      );
    return dial({ host: target.host, port: target.port });
  };
  return { connect, dial, display };
}

/** A proxy URL without user or password, for messages. */
function redact(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}

function socksError(error: unknown, proxy: string, target: DialTarget): SocksProxyError {
  const message = error instanceof Error ? error.message : String(error);
  const to = `${target.host}:${target.port}`;
  const reason =
    /ECONN\w+|EHOST\w+|ENET\w+/.exec(message)?.[0] ?? /- \(?(\w+)\)?$/.exec(message)?.[1] ?? message;
  const reachingProxy =
    /ECONN\w+|EHOST\w+|ENET\w+/.test(message) && message.includes(proxy.split(':')[0] ?? '');
  const why = reachingProxy
    ? `cannot connect to the SOCKS proxy ${proxy} (${reason}); is it running (e.g. ssh -N -D ${proxy} …)?`
    : /Socket closed/.test(message)
      ? `the SOCKS proxy ${proxy} closed the connection to ${to} (it could not reach it?)`
      : `the SOCKS proxy ${proxy} could not connect to ${to}: ${message}`;
  return new SocksProxyError(why, {
    proxy,
    target: to,
    reason,
    transient: TRANSIENT.test(message),
    cause: error,
  });
}
