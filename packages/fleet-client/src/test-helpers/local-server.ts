/**
 * Real HTTP(S) servers for transport tests: TCP on 127.0.0.1 port 0, or a unix socket in a fresh
 * directory under os.tmpdir(). Never any other address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** What a handler saw, request by request. */
export interface SeenRequest {
  method: string;
  /** Raw request target, e.g. `/fleet/v1/units?nextPageToken=AgACAA%3D%3D`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Raw header pairs as sent (to check that a header is sent once). */
  rawHeaders: string[];
  body: string;
}

export interface LocalServer {
  /** Endpoint string for createFleetClient. */
  endpoint: string;
  seen: SeenRequest[];
  server: http.Server;
  close(): Promise<void>;
}

/** Answers as fleetd does: compact JSON, `Server: fleetd/1.0.0`. */
export function sendFleetJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    Server: 'fleetd/1.0.0',
  });
  res.end(text);
}

/** 201/204 without a body or Content-Type. */
export function sendFleetEmpty(res: http.ServerResponse, status: 201 | 204): void {
  res.writeHead(status, { Server: 'fleetd/1.0.0' });
  res.end();
}

function wrap(handler: Handler, seen: SeenRequest[]): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body,
      });
      handler(req, res, body);
    });
  };
}

async function listen(server: http.Server, target: { port: 0; host: '127.0.0.1' } | { path: string }) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closer(server: http.Server, after?: () => void): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    after?.();
  };
}

/** An http server on 127.0.0.1, port 0. */
export async function startTcpServer(handler: Handler): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer(wrap(handler, seen));
  await listen(server, { port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, seen, server, close: closer(server) };
}

/** A fresh temporary directory for sockets; removed by the returned function. */
export function tempSocketDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-client-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An http server on a unix socket under os.tmpdir(). `listenAt` lets a test pick the path (e.g. start late). */
export async function startUnixServer(
  handler: Handler,
  socketPath?: string,
): Promise<LocalServer & { socketPath: string }> {
  const temp = socketPath === undefined ? tempSocketDir() : undefined;
  const target = socketPath ?? path.join(temp?.dir ?? os.tmpdir(), 'fleet.sock');
  const seen: SeenRequest[] = [];
  const server = http.createServer(wrap(handler, seen));
  await listen(server, { path: target });
  return {
    endpoint: `unix://${target}`,
    socketPath: target,
    seen,
    server,
    close: closer(server, () => temp?.remove()),
  };
}

/** An https server on 127.0.0.1, port 0. */
export async function startHttpsServer(handler: Handler, tls: https.ServerOptions): Promise<LocalServer> {
  const seen: SeenRequest[] = [];
  const server = https.createServer(tls, wrap(handler, seen));
  await listen(server, { port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `https://127.0.0.1:${port}`, seen, server, close: closer(server) };
}
