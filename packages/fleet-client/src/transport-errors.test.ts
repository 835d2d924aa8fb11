import { describe, expect, it } from 'vitest';
import { classifyFailure } from './transport-errors.js';

const ctx = {
  method: 'GET',
  path: '/fleet/v1/units',
  endpoint: 'unix:///var/run/fleet.sock',
  timeoutMs: 5000,
  attempt: 1,
};

function sysError(code: string, message = `connect ${code}`) {
  return Object.assign(new Error(message), { code });
}

describe('classifyFailure', () => {
  it.each([
    ['ECONNREFUSED', 'ERR_FLEET_UNREACHABLE', true, 'not-delivered'],
    ['ENOENT', 'ERR_FLEET_UNREACHABLE', true, 'not-delivered'],
    ['EAI_AGAIN', 'ERR_FLEET_UNREACHABLE', true, 'not-delivered'],
    ['EHOSTUNREACH', 'ERR_FLEET_UNREACHABLE', true, 'not-delivered'],
    ['EAGAIN', 'ERR_FLEET_UNREACHABLE', true, 'not-delivered'],
    ['ECONNRESET', 'ERR_FLEET_UNREACHABLE', true, 'maybe-delivered'],
    ['EPIPE', 'ERR_FLEET_UNREACHABLE', true, 'maybe-delivered'],
    ['ETIMEDOUT', 'ERR_FLEET_TIMEOUT', true, 'maybe-delivered'],
    ['ENOTFOUND', 'ERR_FLEET_UNREACHABLE', false, 'not-delivered'],
    ['EACCES', 'ERR_FLEET_UNREACHABLE', false, 'not-delivered'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_FLEET_UNREACHABLE', false, 'not-delivered'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_FLEET_UNREACHABLE', false, 'not-delivered'],
  ] as const)('%s → %s, transient %s, %s', (code, fleetCode, transient, delivery) => {
    const { error, facts } = classifyFailure(sysError(code), ctx);
    expect(error.code).toBe(fleetCode);
    expect(error.transient).toBe(transient);
    expect(facts).toEqual({ transient, delivery });
    expect(error.message.startsWith('GET /fleet/v1/units failed: ')).toBe(true);
  });

  it('socket hang up (no response at all) is a bad response, transient', () => {
    const { error, facts } = classifyFailure(sysError('ECONNRESET', 'socket hang up'), {
      ...ctx,
      attempt: 3,
    });
    expect(error.code).toBe('ERR_FLEET_BAD_RESPONSE');
    expect(error.message).toBe(
      'GET /fleet/v1/units failed: fleet closed the connection without a response (socket hang up) (3 attempts)',
    );
    expect(facts).toEqual({ transient: true, delivery: 'maybe-delivered' });
  });

  it('unwraps got’s RequestError to the system error as cause', () => {
    const root = sysError('ECONNREFUSED');
    const gotError = Object.assign(new Error('connect ECONNREFUSED', { cause: root }), {
      code: 'ECONNREFUSED',
      name: 'RequestError',
    });
    const { error } = classifyFailure(gotError, ctx);
    expect(error.cause).toBe(root);
    expect(error).toMatchObject({ reason: 'ECONNREFUSED', endpoint: 'unix:///var/run/fleet.sock' });
  });

  it('a got TimeoutError names the timeout option', () => {
    const timeout = Object.assign(new Error("Timeout awaiting 'request' for 5000ms"), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const { error } = classifyFailure(timeout, ctx);
    expect(error.message).toBe('GET /fleet/v1/units failed: no response within 5000 ms (timeout.request)');
  });

  it('anything else is unreachable and not transient', () => {
    const { error, facts } = classifyFailure(new Error('weird'), ctx);
    expect(error.code).toBe('ERR_FLEET_UNREACHABLE');
    expect(error.message).toBe(
      'GET /fleet/v1/units failed: request to unix:///var/run/fleet.sock failed: weird',
    );
    expect(facts.transient).toBe(false);
  });
});

describe('classifyFailure: connect timeout', () => {
  it('a got connect timeout is a timeout fleet never saw (retry-safe for every call)', () => {
    const timeout = Object.assign(new Error("Timeout awaiting 'connect' for 200ms"), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      event: 'connect',
    });
    const { error, facts } = classifyFailure(timeout, { ...ctx, connectTimeoutMs: 200 });
    expect(error).toMatchObject({ code: 'ERR_FLEET_TIMEOUT', phase: 'connect', timeoutMs: 200 });
    expect(error.message).toBe(
      'GET /fleet/v1/units failed: could not connect to unix:///var/run/fleet.sock within 200 ms (timeout.connect)',
    );
    expect(facts).toEqual({ transient: true, delivery: 'not-delivered' });
  });
});

describe('classifyFailure: reset on a kept-alive connection', () => {
  it('counts as not delivered (the server closed the idle connection as the request went out)', () => {
    const reset = sysError('ECONNRESET', 'socket hang up');
    expect(classifyFailure(reset, { ...ctx, reusedSocket: true }).facts.delivery).toBe('not-delivered');
    expect(classifyFailure(reset, { ...ctx, reusedSocket: false }).facts.delivery).toBe('maybe-delivered');
    expect(classifyFailure(sysError('EPIPE'), { ...ctx, reusedSocket: true }).facts.delivery).toBe(
      'not-delivered',
    );
  });
});
