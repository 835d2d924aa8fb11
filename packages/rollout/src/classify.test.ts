import * as fleetClient from '@fleet-service/fleet-client';
import { FLEET_ERROR_CODES, FleetServerError, UnitFileSyntaxError } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { classifyError, classifyOutcome, ERROR_CLASSES, findFailureClass } from './classify.js';
import {
  InstanceFailedError,
  LockHeldError,
  ROLLOUT_ERROR_CODES,
  RolledBackError,
  RolloutAbortedError,
  StateTimeoutError,
} from './errors.js';

/** Every code string fleet-client exports: its code table, and the `code` of each exported error class. */
function fleetClientCodes(): string[] {
  const codes = new Set<string>(Object.values(FLEET_ERROR_CODES));
  codes.add(new UnitFileSyntaxError('x', []).code);
  for (const value of Object.values(fleetClient)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const v of Object.values(value))
        if (typeof v === 'string' && /^ERR_[A-Z_]+$/.test(v)) codes.add(v);
    }
  }
  return [...codes];
}

const timeout = () =>
  new StateTimeoutError({
    unit: 'web@1.service',
    phase: 'healthy',
    waitedFor: 'x',
    lastSeen: 'y',
    timeoutMs: 1,
  });

describe('classification of failures (seam 6)', () => {
  it('classifies every code fleet-client and rollout export', () => {
    const all = [...fleetClientCodes(), ...Object.values(ROLLOUT_ERROR_CODES)];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((code) => !Object.hasOwn(ERROR_CLASSES, code))).toEqual([]);
  });

  it('knows the codes the other parts of issue 11 add', () => {
    expect(ERROR_CLASSES).toMatchObject({
      ERR_FLEET_UNAVAILABLE: 'unreachable',
      ERR_NOT_FLEET: 'unreachable',
      ERR_ROLLOUT_ROLLBACK_FAILED: 'rollback-failed',
      ERR_ROLLOUT_NO_SUCH_SERVICE: 'usage',
    });
  });

  it('the outermost known code in the cause chain wins', () => {
    expect(classifyError(new RolledBackError('web', timeout()))).toBe('rolled-back');
    expect(classifyError(timeout())).toBe('timed-out');
    const wrapped = Object.assign(new Error('wrapper without a code'), { cause: timeout() });
    expect(classifyError(wrapped)).toBe('timed-out');
    expect(classifyError(new InstanceFailedError({ unit: 'web@1.service', diagnosis: 'failed' }))).toBe(
      'instance-failed',
    );
    expect(
      classifyError(
        new LockHeldError('web', { owner: 'a', host: 'h', pid: 1, start: 0, expiry: 1, token: 't' }),
      ),
    ).toBe('locked');
    expect(classifyError(new RolloutAbortedError('web', []))).toBe('interrupted');
    expect(classifyError(new FleetServerError('boom', {}))).toBe('rejected');
  });

  it('unknown codes and non-errors are internal; a front end may add its own codes', () => {
    expect(classifyError(new Error('boom'))).toBe('internal');
    expect(classifyError('not an error')).toBe('internal');
    expect(classifyError(null)).toBe('internal');
    expect(findFailureClass(new Error('boom'))).toBeUndefined();
    const usage = Object.assign(new Error('bad flag'), { code: 'ERR_USAGE' });
    expect(classifyError(usage)).toBe('internal');
    expect(classifyError(usage, { ERR_USAGE: 'usage' })).toBe('usage');
  });

  it('a cause cycle ends', () => {
    const a: { code?: string; cause?: unknown } = {};
    a.cause = a;
    expect(classifyError(a)).toBe('internal');
  });

  it.each([
    ['succeeded', undefined],
    ['unchanged', undefined],
    ['rolled-back', 'rolled-back'],
    ['rollback-failed', 'rollback-failed'],
    ['paused', 'instance-failed'],
    ['failed', 'instance-failed'],
    ['aborted', 'interrupted'],
    ['something new', 'internal'],
  ])('outcome %s is %s', (outcome, cls) => {
    expect(classifyOutcome(outcome)).toBe(cls);
  });
});
