import { existsSync, statSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { posix } from 'node:path';
import { isHoldableClock } from '../clock/manual-clock.js';
import type { PickedApiFault } from '../faults/fault-store.js';
import { RequestLog, routeKey } from '../observe/request-log.js';
import type { SimCore } from '../sim-core.js';
import { type ApiRequest, errorReply, type Reply } from './reply.js';
import { route } from './router.js';

/** The simulated fleetd's HTTP listener (TCP or unix socket). */
export class SimServer {
  readonly endpoint: string;
  readonly log = new RequestLog();
  readonly #server: http.Server;
  readonly #sockets: Set<Socket>;
  readonly #core: SimCore;
  readonly #socketPath: string | undefined;
  /** Clock holds of requests being served, released on close so a shared ManualClock is not stuck. */
  readonly #holds = new Set<() => void>();

  private constructor(
    core: SimCore,
    server: http.Server,
    endpoint: string,
    socketPath: string | undefined,
    sockets: Set<Socket>,
  ) {
    this.#sockets = sockets;
    this.#core = core;
    this.#server = server;
    this.endpoint = endpoint;
    this.#socketPath = socketPath;
  }

  static async listen(core: SimCore): Promise<SimServer> {
    const server = http.createServer();
    server.keepAliveTimeout = 5000;
    const listen = core.options.listen;
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (isHoldableClock(core.clock)) core.clock.touch();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if ('socketPath' in listen) {
        // A stale socket from an earlier run is replaced; any other file is left alone (listen fails).
        if (existsSync(listen.socketPath) && statSync(listen.socketPath).isSocket())
          unlinkSync(listen.socketPath);
        server.listen(listen.socketPath, () => resolve());
      } else server.listen(listen.port, listen.host, () => resolve());
    });
    let endpoint: string;
    if ('socketPath' in listen) endpoint = `unix://${listen.socketPath}`;
    else {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : listen.port;
      const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
      endpoint = `http://${host}:${port}`;
    }
    const self = new SimServer(
      core,
      server,
      endpoint,
      'socketPath' in listen ? listen.socketPath : undefined,
      sockets,
    );
    server.on('request', (req, res) => self.#handle(req, res));
    server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) =>
      self.#clientError(error, socket),
    );
    return self;
  }

  /**
   * Node's parser refuses methods it does not know (`FOO /fleet/v1/units`) with a bare 400; Go's
   * server hands any token to fleet's mux, which answers 405 or 404 with its error body. Answer those
   * the same way; anything else malformed gets Node's default 400.
   */
  #clientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket): void {
    const line = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(
      error.rawPacket?.toString('latin1') ?? '',
    );
    if (error.code !== 'HPE_INVALID_METHOD' || !line || !socket.writable) {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
      return;
    }
    const method = line[1]!;
    const rawUrl = line[2]!;
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const path = safeDecode(rawPath) ?? rawPath;
    const reply = route(
      this.#core,
      {
        method,
        path: cleanPath(path),
        query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
        rawHeaders: [],
        body: '',
      },
      () => this.#metrics(),
    );
    const status = 'panic' in reply ? 405 : reply.status;
    const body = 'panic' in reply ? '' : reply.body;
    const head = [
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
      `Server: fleetd/${this.#core.options.serverVersion}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `Date: ${new Date().toUTCString()}`,
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
    const now = this.#core.clock.now();
    this.log.record(
      { time: now, method, path: rawPath, query: q < 0 ? '' : rawUrl.slice(q + 1), status, durationMs: 0 },
      routeKey(method, path),
    );
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const release = this.#hold();
    const started = this.#core.clock.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => release());
    req.on('end', () => {
      this.#respond(req, res, Buffer.concat(chunks).toString('utf8'), started, release).catch(() => {
        req.socket.destroy();
        release();
      });
    });
  }

  async #respond(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
    started: number,
    release: () => void,
  ): Promise<void> {
    const core = this.#core;
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const finish = (status: number, fault?: PickedApiFault) => {
      const entry = {
        time: started,
        method,
        path: rawPath,
        query: rawQuery,
        status,
        durationMs: core.clock.now() - started,
      };
      this.log.record(
        fault ? { ...entry, fault: fault.kind } : entry,
        routeKey(method, safeDecode(rawPath) ?? rawPath),
      );
      release();
    };
    const path = safeDecode(rawPath);
    if (path === undefined) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('400 Bad Request');
      finish(400);
      return;
    }
    const headers = { Server: `fleetd/${core.options.serverVersion}` };
    const cleaned = cleanPath(path);
    if (cleaned !== path) {
      const location = rawQuery ? `${cleaned}?${rawQuery}` : cleaned;
      if (method === 'GET') {
        const note = `<a href="${htmlEscape(location)}">Moved Permanently</a>.\n\n`;
        res.writeHead(301, {
          ...headers,
          Location: location,
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': Buffer.byteLength(note),
        });
        res.end(note);
      } else {
        res.writeHead(301, { ...headers, Location: location, 'Content-Length': 0 });
        res.end();
      }
      finish(301);
      return;
    }

    const fault = core.faults.pickApiFault(method, path);
    if (fault?.kind === 'api-reset') {
      req.socket.destroy();
      finish(0, fault);
      return;
    }
    if (fault?.kind === 'api-latency') {
      release();
      await core.timers.sleep(fault.delayMs);
      release = this.#hold();
    }
    let reply: Reply;
    if (fault?.kind === 'api-etcd-unavailable')
      reply = errorReply(503, 'fleet server unable to communicate with etcd');
    else if (fault?.kind === 'api-error') reply = errorReply(fault.status, fault.message ?? '');
    else {
      const apiReq: ApiRequest = {
        method,
        path,
        query: new URLSearchParams(rawQuery),
        rawHeaders: req.rawHeaders,
        body,
      };
      reply = route(core, apiReq, () => this.#metrics());
    }
    if ('panic' in reply || fault?.kind === 'api-drop-response') {
      req.socket.destroy();
      finish(0, fault);
      return;
    }
    const out: Record<string, string | number> = { ...headers };
    if (reply.contentType) out['Content-Type'] = reply.contentType;
    if (reply.status !== 204) out['Content-Length'] = Buffer.byteLength(reply.body);
    res.writeHead(reply.status, out);
    res.end(reply.status === 204 ? undefined : reply.body);
    finish(reply.status, fault);
  }

  /** Tell a ManualClock a request is in flight (autoAdvance waits); the release is idempotent. */
  #hold(): () => void {
    const clock = this.#core.clock;
    if (!isHoldableClock(clock)) return () => {};
    const inner = clock.hold();
    const release = () => {
      this.#holds.delete(release);
      inner();
    };
    this.#holds.add(release);
    return release;
  }

  #metrics(): string {
    const c = this.log.counters();
    const units = this.#core.cluster.units.size;
    const machines = this.#core.cluster.registeredMachines().length;
    return [
      '# HELP fleet_sim_requests_total Requests served by the simulated fleetd API.',
      '# TYPE fleet_sim_requests_total counter',
      `fleet_sim_requests_total ${c.requests}`,
      '# HELP fleet_sim_units Units in the registry.',
      '# TYPE fleet_sim_units gauge',
      `fleet_sim_units ${units}`,
      '# HELP fleet_sim_machines Machines listed by the API.',
      '# TYPE fleet_sim_machines gauge',
      `fleet_sim_machines ${machines}`,
      '',
    ].join('\n');
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    for (const release of [...this.#holds]) release();
    await closed;
    if (this.#socketPath && existsSync(this.#socketPath)) unlinkSync(this.#socketPath);
  }
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

/** Go's ServeMux `cleanPath`: path.Clean, keeping a trailing slash. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  let np = posix.normalize(rooted);
  if (np.length > 1 && np.endsWith('/') && !rooted.endsWith('/')) np = np.slice(0, -1);
  if (rooted.endsWith('/') && np !== '/' && !np.endsWith('/')) np += '/';
  return np;
}

function htmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}
