import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { checksVia, expandTemplate, runHealthChecks } from './health-check.js';
import type { HealthCheck } from './spec.js';

const target = { unit: 'web@3.service', index: 3, machine: { id: 'abc', primaryIP: '127.0.0.1' } };
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(handler: (path: string) => number): Promise<number> {
  server = createServer((req, res) => {
    res.statusCode = handler(req.url ?? '');
    res.end();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('health checks', () => {
  it('expands {ip} {index} {machineID} {name}', () => {
    expect(expandTemplate('http://{ip}:80/{name}/{index}/{machineID}', target)).toBe(
      'http://127.0.0.1:80/web@3.service/3/abc',
    );
  });

  it('http: 2xx passes, anything else names the URL and status; expectStatus is exact', async () => {
    const port = await listen((path) => (path === '/ok' ? 204 : 500));
    expect(await runHealthChecks([{ kind: 'http', url: `http://{ip}:${port}/ok` }], target)).toBeUndefined();
    expect(await runHealthChecks([{ kind: 'http', url: `http://{ip}:${port}/bad` }], target)).toBe(
      `health check GET http://127.0.0.1:${port}/bad answered 500`,
    );
    expect(
      await runHealthChecks([{ kind: 'http', url: `http://{ip}:${port}/bad`, expectStatus: 500 }], target),
    ).toBeUndefined();
  });

  it('tcp: a refused connection fails with the address; callbacks get the context', async () => {
    const port = await listen(() => 200);
    expect(await runHealthChecks([{ kind: 'tcp', host: '{ip}', port }], target)).toBeUndefined();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await runHealthChecks([{ kind: 'tcp', host: '{ip}', port }], target)).toMatch(
      new RegExp(`^health check tcp 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`),
    );
    expect(
      await runHealthChecks([{ kind: 'callback', check: async (c) => c.index === 3 }], target),
    ).toBeUndefined();
    expect(await runHealthChecks([{ kind: 'callback', check: async () => false }], target)).toBe(
      'health check callback returned false for web@3.service',
    );
  });
});

describe('checksVia', () => {
  it('gives HTTP and TCP checks the dial, leaves callbacks and a missing dial alone', () => {
    const dial = () => new PassThrough();
    const checks: HealthCheck[] = [
      { kind: 'http', url: 'http://{ip}:8080/health' },
      { kind: 'tcp', host: '{ip}', port: 8080 },
      { kind: 'callback', check: async () => true },
    ];
    const via = checksVia(checks, dial);
    expect(via.map((c) => (c as { connect?: unknown }).connect)).toEqual([dial, dial, undefined]);
    expect(checksVia(checks, undefined)).toEqual(checks);
  });
});
