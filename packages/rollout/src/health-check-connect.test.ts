import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runHealthChecks } from './health-check.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function server(status: number): Promise<number> {
  const s = http.createServer((_req, res) => {
    res.statusCode = status;
    res.end();
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** A connect() that reaches the real server whatever address the check asks for, and records it. */
function via(port: number) {
  const asked: string[] = [];
  const connect = (target: { host: string; port: number }): Promise<Duplex> => {
    asked.push(`${target.host}:${target.port}`);
    return Promise.resolve(net.connect({ host: '127.0.0.1', port }));
  };
  return { asked, connect };
}

const target = {
  unit: 'web@1.service',
  index: 1,
  machine: { id: 'm1', primaryIP: '10.9.9.9', metadata: {} },
};

describe('health checks through a connect() (a tunnel or a proxy)', () => {
  it('HTTP: the connection comes from connect(), with the expanded address', async () => {
    const port = await server(200);
    const v = via(port);
    const checks = [{ kind: 'http' as const, url: 'http://{ip}:8080/health', connect: v.connect }];
    await expect(runHealthChecks(checks, target)).resolves.toBeUndefined();
    expect(v.asked).toEqual(['10.9.9.9:8080']);
    const bad = via(await server(503));
    const failing = [{ kind: 'http' as const, url: 'http://{ip}:8080/health', connect: bad.connect }];
    await expect(runHealthChecks(failing, target)).resolves.toBe(
      'health check GET http://10.9.9.9:8080/health answered 503',
    );
  });

  it('TCP: connect() opening is success; its failure is the check failing', async () => {
    const v = via(await server(200));
    await expect(
      runHealthChecks([{ kind: 'tcp', host: '{ip}', port: 5432, connect: v.connect }], target),
    ).resolves.toBeUndefined();
    expect(v.asked).toEqual(['10.9.9.9:5432']);
    const refused = () =>
      Promise.reject(new Error('through the SSH tunnel: could not connect to 10.9.9.9:5432'));
    await expect(
      runHealthChecks([{ kind: 'tcp', host: '{ip}', port: 5432, connect: refused }], target),
    ).resolves.toBe(
      'health check tcp 10.9.9.9:5432 failed: through the SSH tunnel: could not connect to 10.9.9.9:5432',
    );
  });
});
