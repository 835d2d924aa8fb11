/**
 * A raw HTTP/1.1 request over node:http, for wire-level tests: it sends exactly the headers it is
 * given (duplicates allowed; node adds only Host, Connection and Content-Length), any method
 * including HEAD, any body bytes, and reports a connection closed without a response instead of
 * throwing. No client library, no fetch: nothing rewrites what goes on the wire. Headers with the
 * same name are sent as consecutive lines in first-seen order.
 */
import { request as httpRequest } from 'node:http';

/** Where to connect: a TCP port on loopback, or a unix socket. */
export type RawTarget = { port: number; host?: string } | { socketPath: string };

export interface RawRequest {
  /** HTTP method, sent as given. @default 'GET' */
  method?: string;
  /** Request target, sent as given (no encoding or normalisation), e.g. `/fleet/v1/units?x=1`. */
  path: string;
  /** Headers in order; the same name may appear more than once. @default [] */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** Request body; when absent no body and no Content-Length are sent. */
  body?: string | Buffer;
  /** TCP port on `host` (see {@link RawTarget}). */
  port?: number;
  /** TCP host. @default '127.0.0.1' */
  host?: string;
  /** Unix socket path; takes precedence over `port`. */
  socketPath?: string;
  /** Give up (and reject) after this many milliseconds. @default 10000 */
  timeoutMs?: number;
}

export interface RawResponse {
  /** HTTP status, or 0 when the connection closed without a response. */
  status: number;
  /** Response headers exactly as received: `[name, value, name, value, …]` (node's rawHeaders). */
  headers: string[];
  /** Response body decoded as UTF-8 ("" for none). */
  body: string;
  /** True when the server closed the connection before sending a status line. */
  closedWithoutResponse: boolean;
}

/** Send one request on a fresh connection and collect the whole response. */
export function request(req: RawRequest): Promise<RawResponse> {
  const { method = 'GET', path, headers = [], body, timeoutMs = 10_000 } = req;
  return new Promise<RawResponse>((resolve, reject) => {
    const target = req.socketPath
      ? { socketPath: req.socketPath }
      : { host: req.host ?? '127.0.0.1', port: req.port };
    if (!req.socketPath && req.port === undefined) {
      reject(new Error('raw-http request: either port or socketPath is required'));
      return;
    }
    // Repeated names become an array value, which node sends as one header line per value.
    const outgoing: Record<string, string[]> = {};
    for (const [name, value] of headers) {
      const existing = Object.keys(outgoing).find((key) => key.toLowerCase() === name.toLowerCase());
      if (existing) outgoing[existing]?.push(value);
      else outgoing[name] = [value];
    }
    const clientRequest = httpRequest({ ...target, method, path, agent: false, headers: outgoing });
    let settled = false;
    const finish = (result: RawResponse | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => {
      clientRequest.destroy();
      finish(new Error(`raw-http ${method} ${path}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    clientRequest.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        finish({
          status: res.statusCode ?? 0,
          headers: [...res.rawHeaders],
          body: Buffer.concat(chunks).toString('utf8'),
          closedWithoutResponse: false,
        }),
      );
      res.on('error', (error) => finish(error));
    });
    clientRequest.on('error', (error: NodeJS.ErrnoException) => {
      // "socket hang up" (ECONNRESET) before any response: the server dropped the connection.
      if (error.code === 'ECONNRESET' || error.message === 'socket hang up') {
        finish({ status: 0, headers: [], body: '', closedWithoutResponse: true });
      } else {
        finish(error);
      }
    });
    if (body !== undefined) {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
      if (!hasLength) clientRequest.setHeader('Content-Length', bytes.length);
      clientRequest.end(bytes);
    } else {
      clientRequest.end();
    }
  });
}

/** Every value of header `name` (case-insensitive) in a raw header list, in order. */
export function headerValues(response: Pick<RawResponse, 'headers'>, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i + 1 < response.headers.length; i += 2) {
    if (response.headers[i]?.toLowerCase() === wanted) values.push(response.headers[i + 1] ?? '');
  }
  return values;
}

/** The target of an endpoint string as fleet-sim reports it (`http://127.0.0.1:N` or `unix:///path`). */
export function targetFromEndpoint(endpoint: string): RawTarget {
  if (endpoint.startsWith('unix:')) {
    const socketPath = endpoint.replace(/^unix:(\/\/)?/, '');
    return { socketPath };
  }
  const url = new URL(endpoint);
  return { host: url.hostname, port: Number(url.port || 80) };
}
