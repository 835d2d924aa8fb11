import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveClientOptions } from './client-options.js';
import { systemClock } from './clock.js';
import { InvalidClientOptionsError, InvalidEndpointError } from './errors.js';

function optionError(run: () => unknown): InvalidClientOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidClientOptionsError) return error;
    throw error;
  }
  throw new Error('expected InvalidClientOptionsError');
}

describe('resolveClientOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveClientOptions();
    expect(resolved).toMatchObject({
      endpoint: { kind: 'unix', socketPath: '/var/run/fleet.sock' },
      timeoutMs: 5000,
      connectTimeoutMs: undefined,
      retry: {
        maxRetryTime: 20_000,
        firstContactTime: 2000,
        initialDelay: 250,
        maxDelay: 4000,
        factor: 2,
        limit: undefined,
      },
      userAgent: 'fleet-service-client/0.1',
      keepAlive: true,
      tls: {},
    });
    expect(resolved.clock).toBe(systemClock);
  });

  it.each([
    [{ timeout: { request: 0 } }, 'timeout.request', 'must be at least 1'],
    [{ timeout: { request: Number.NaN } }, 'timeout.request', 'finite number'],
    [{ timeout: { connect: 0 } }, 'timeout.connect', 'must be at least 1'],
    [{ retry: { limit: -1 } }, 'retry.limit', 'must be at least 0'],
    [{ retry: { limit: 1.5 } }, 'retry.limit', 'integer'],
    [{ retry: { factor: 0.5 } }, 'retry.factor', 'must be at least 1'],
    [{ retry: { maxRetryTime: -1 } }, 'retry.maxRetryTime', 'must be at least 0'],
    [{ retry: { maxRetryTime: Number.POSITIVE_INFINITY } }, 'retry.maxRetryTime', 'finite number'],
    [{ retry: { firstContactTime: '2s' } }, 'retry.firstContactTime', 'finite number'],
    [{ retry: 5 }, 'retry', 'expected an object'],
    [{ connect: 'ssh://host' }, 'connect', 'function'],
    [{ agent: {} }, 'agent', 'http.Agent'],
    [{ agent: new http.Agent(), connect: () => new PassThrough() }, 'agent', 'not both'],
    [{ agent: new http.Agent(), caFile: '/ca.pem' }, 'caFile', 'set it on the agent'],
    [{ agent: new http.Agent(), keepAlive: false }, 'keepAlive', 'set it on the agent'],
    [{ retry: { initialDelay: 500, maxDelay: 100 } }, 'retry.maxDelay', 'at least retry.initialDelay'],
    [{ userAgent: 'a\r\nb' }, 'userAgent', 'single-line'],
    [{ clock: {} }, 'clock', 'Clock'],
    [{ onRequest: 'yes' }, 'onRequest', 'function'],
    [{ keepAlive: 'no' }, 'keepAlive', 'boolean'],
    [{ certFile: '/x.pem', cert: 'PEM' }, 'certFile', 'not both'],
    [{ cert: 'PEM' }, 'keyFile', 'needs both'],
    [{ caFile: '/nonexistent/ca.pem' }, 'caFile', 'cannot read "/nonexistent/ca.pem" (ENOENT)'],
  ])('%j → names %s', (options, option, why) => {
    const error = optionError(() => resolveClientOptions(options as never));
    expect(error.option).toBe(option);
    expect(error.code).toBe('ERR_FLEET_INVALID_OPTIONS');
    expect(error.message).toContain(`invalid fleet client option ${option}: `);
    expect(error.message).toContain(why);
  });

  it('reports a bad endpoint as InvalidEndpointError', () => {
    expect(() => resolveClientOptions({ endpoint: 'unix://var/run/fleet.sock' })).toThrow(
      InvalidEndpointError,
    );
  });

  it('reads the TLS files once, up front', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-client-opts-'));
    try {
      for (const name of ['ca', 'cert', 'key']) writeFileSync(path.join(dir, `${name}.pem`), `${name} pem`);
      const resolved = resolveClientOptions({
        endpoint: 'https://127.0.0.1:1',
        caFile: path.join(dir, 'ca.pem'),
        certFile: path.join(dir, 'cert.pem'),
        keyFile: path.join(dir, 'key.pem'),
      });
      expect(String(resolved.tls.ca)).toBe('ca pem');
      expect(String(resolved.tls.cert)).toBe('cert pem');
      expect(String(resolved.tls.key)).toBe('key pem');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
