/**
 * The raw cases are only as good as the instrument: this checks test/helpers/raw-http.ts against
 * a plain node:http server on loopback and a unix socket — what it sends is exactly what the
 * case says (duplicate headers, no Content-Type, HEAD, raw bytes, an unencoded path), and a
 * connection dropped without a response is reported, not thrown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValues, request, targetFromEndpoint } from '../helpers/raw-http.js';

interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
  body: string;
}

function echoServer(): Server {
  return createServer((req: IncomingMessage, res) => {
    if (req.url === '/drop') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      res.setHeader('X-Twice', ['a', 'b']);
      res.end(JSON.stringify(seen));
    });
  });
}

describe('raw-http instrument', () => {
  let tcp: Server;
  let unix: Server;
  let port: number;
  let dir: string;
  let socketPath: string;
  beforeAll(async () => {
    tcp = echoServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    port = (tcp.address() as AddressInfo).port;
    dir = await mkdtemp(join(tmpdir(), 'raw-http-'));
    socketPath = join(dir, 's.sock');
    unix = echoServer();
    await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => tcp.close(resolve));
    await new Promise((resolve) => unix.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const seenOf = (body: string) => JSON.parse(body) as Seen;
  const named = (raw: string[], name: string) =>
    raw.filter((_, i) => i % 2 === 0 && raw[i]?.toLowerCase() === name).length;

  it('sends two Content-Type headers when given two', async () => {
    const res = await request({
      port,
      method: 'PUT',
      path: '/x',
      headers: [
        ['Content-Type', 'application/json'],
        ['Content-Type', 'application/json'],
      ],
      body: '{}',
    });
    const seen = seenOf(res.body);
    expect(named(seen.rawHeaders, 'content-type')).toBe(2);
    expect(seen.body).toBe('{}');
  });

  it('sends no Content-Type when given none, and the body bytes as given', async () => {
    const seen = seenOf((await request({ port, method: 'PUT', path: '/x', body: 'not json' })).body);
    expect(named(seen.rawHeaders, 'content-type')).toBe(0);
    expect(seen.body).toBe('not json');
  });

  it('sends the path unencoded and unnormalised (unpadded tokens, %2F, %3D)', async () => {
    for (const path of ['/u?nextPageToken=AgACAA', '/units/foo%2Fbar.service', '/u?t=AgACAA%3D%3D']) {
      expect(seenOf((await request({ port, path })).body).url).toBe(path);
    }
  });

  it('does HEAD (no body back) and any method name', async () => {
    const head = await request({ port, method: 'HEAD', path: '/x' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(seenOf((await request({ port, method: 'PATCH', path: '/x', body: '[]' })).body).method).toBe(
      'PATCH',
    );
  });

  it('returns raw response headers, duplicates kept', async () => {
    const res = await request({ port, path: '/x' });
    expect(headerValues(res, 'x-twice')).toEqual(['a', 'b']);
    expect(headerValues(res, 'X-TWICE')).toEqual(['a', 'b']);
  });

  it('reports a connection closed without a response', async () => {
    const res = await request({ port, path: '/drop' });
    expect(res).toEqual({ status: 0, headers: [], body: '', closedWithoutResponse: true });
  });

  it('speaks over a unix socket too, addressed the way fleet-sim reports its endpoint', async () => {
    const target = targetFromEndpoint(`unix://${socketPath}`);
    expect(target).toEqual({ socketPath });
    const res = await request({ ...target, path: '/over-unix' });
    expect(seenOf(res.body).url).toBe('/over-unix');
    expect((await request({ ...target, path: '/drop' })).closedWithoutResponse).toBe(true);
    expect(targetFromEndpoint('http://127.0.0.1:4321')).toEqual({ host: '127.0.0.1', port: 4321 });
  });
});
