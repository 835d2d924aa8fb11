// A real HTTP server on loopback port 0 that records every request (method, path, headers, raw
// body) and answers from a script: a status per request in order (the last one repeats), or
// 'hang' (accept the request, never answer: a target that times out).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CaptureServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: Captured[];
  /** Resolves when `n` requests have arrived. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCaptureServer(script: Array<number | 'hang'> = [200]): Promise<CaptureServer> {
  const requests: Captured[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      for (const w of waiters.filter((x) => requests.length >= x.n)) w.resolve();
      const answer = script[Math.min(requests.length - 1, script.length - 1)] ?? 200;
      if (answer === 'hang') return; // never answers
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    received: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (bound, read, closed). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
