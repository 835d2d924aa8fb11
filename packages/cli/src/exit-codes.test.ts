import { ERROR_CLASSES } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import {
  CLI_ERROR_CLASSES,
  decideExitCode,
  EXIT_CODE_DESCRIPTIONS,
  EXIT_CODE_FOR_CLASS,
  ExitCode,
  exitCodeForErrorCode,
} from './exit-codes.js';

function err(code: string, cause?: unknown): Error {
  return Object.assign(new Error(code), { code }, cause === undefined ? {} : { cause });
}

describe('decideExitCode', () => {
  it.each([
    ['ERR_USAGE', 2],
    ['ERR_UNIT_FILE_SYNTAX', 2],
    ['ERR_UNIT_FILE_READ', 2],
    ['ERR_INVALID_UNIT_NAME', 2],
    ['ERR_ROLLOUT_INVALID_SPEC', 2],
    ['ERR_ROLLOUT_UNSUPPORTED', 2],
    ['ERR_ROLLOUT_NO_RECORD', 2],
    ['ERR_FLEET_INVALID_ENDPOINT', 2],
    ['ERR_FLEET_INVALID_OPTIONS', 2],
    ['ERR_FLEET_UNREACHABLE', 3],
    ['ERR_FLEET_TIMEOUT', 3],
    ['ERR_NOT_FLEET', 3],
    ['ERR_FLEET_UNAVAILABLE', 3], // defect 8: a lasting 503 (no etcd) is unavailability, not a rejection
    ['ERR_FLEET_REJECTED', 4],
    ['ERR_FLEET_CONFLICT', 4],
    ['ERR_FLEET_NOT_FOUND', 4],
    ['ERR_FLEET_SERVER', 4],
    ['ERR_FLEET_BAD_RESPONSE', 4],
    ['ERR_ROLLOUT_STATE_TIMEOUT', 5],
    ['ERR_ROLLOUT_DEADLINE', 5],
    ['ERR_ROLLOUT_INSTANCE_FAILED', 6],
    ['ERR_ROLLOUT_PAUSED', 6],
    // the engine's AbortSignal stopped it: interrupted, like Ctrl-C (was 6 before classification)
    ['ERR_ROLLOUT_ABORTED', 130],
    ['ERR_INTERRUPTED', 130],
    ['ERR_INVALID_UNIT_OPTIONS', 2],
    ['ERR_FLEET_INVALID_UNIT', 2],
    ['ERR_ROLLOUT_NO_SUCH_SERVICE', 2],
    ['ERR_FLEET_UNAVAILABLE', 3],
    ['ERR_ROLLOUT_ROLLBACK_FAILED', 8],
    ['ERR_ROLLOUT_ROLLED_BACK', 7],
    ['ERR_ROLLOUT_LOCK_HELD', 9],
    ['ERR_ROLLOUT_LOCK_LOST', 9],
    ['ERR_ROLLOUT_DRIFT', 9],
  ])('%s exits %i', (code, exit) => {
    expect(decideExitCode({ error: err(code) })).toBe(exit);
  });

  it('interrupted wins over any error and any outcome', () => {
    expect(decideExitCode({ interrupted: true, error: err('ERR_ROLLOUT_ABORTED') })).toBe(130);
    expect(decideExitCode({ interrupted: true, outcome: 'succeeded' })).toBe(130);
  });

  it('the outermost known code wins: rolled back because of a timeout exits 7, not 5', () => {
    expect(decideExitCode({ error: err('ERR_ROLLOUT_ROLLED_BACK', err('ERR_ROLLOUT_STATE_TIMEOUT')) })).toBe(
      7,
    );
    expect(decideExitCode({ error: err('ERR_ROLLOUT_PAUSED', err('ERR_ROLLOUT_STATE_TIMEOUT')) })).toBe(6);
    expect(
      decideExitCode({ error: err('ERR_ROLLOUT_ROLLBACK_FAILED', err('ERR_ROLLOUT_INSTANCE_FAILED')) }),
    ).toBe(8);
  });

  it('an unknown code falls back to the cause chain, then the outcome, then 1', () => {
    expect(decideExitCode({ error: err('ERR_SOMETHING', err('ERR_FLEET_UNREACHABLE')) })).toBe(3);
    expect(decideExitCode({ error: new Error('boom'), outcome: 'rolled-back' })).toBe(7);
    expect(decideExitCode({ error: new Error('boom'), outcome: 'succeeded' })).toBe(1);
    expect(decideExitCode({ error: new Error('boom') })).toBe(1);
    expect(decideExitCode({ error: 'not even an error' })).toBe(1);
  });

  it('oclif parse errors (oclif.exit 2) are usage errors', () => {
    expect(
      decideExitCode({ error: Object.assign(new Error('Unexpected argument'), { oclif: { exit: 2 } }) }),
    ).toBe(2);
  });

  it.each([
    ['succeeded', 0],
    ['unchanged', 0],
    ['rolled-back', 7],
    ['aborted', 130],
    ['rollback-failed', 8],
    ['paused', 6],
    ['failed', 6],
  ])('outcome %s without an error exits %i', (outcome, exit) => {
    expect(decideExitCode({ outcome })).toBe(exit);
  });

  it('no error and no outcome is success', () => {
    expect(decideExitCode({})).toBe(ExitCode.OK);
  });

  it('every error code the engine classifies, and every CLI code, has an exit code', () => {
    for (const code of [...Object.keys(ERROR_CLASSES), ...Object.keys(CLI_ERROR_CLASSES)]) {
      expect(exitCodeForErrorCode(code), code).toBeDefined();
    }
    for (const exit of Object.values(EXIT_CODE_FOR_CLASS)) expect(EXIT_CODE_DESCRIPTIONS[exit]).toBeTruthy();
  });

  it('every code is distinct and described', () => {
    const values = Object.values(ExitCode);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(EXIT_CODE_DESCRIPTIONS[v]).toBeTruthy();
    expect(exitCodeForErrorCode('ERR_NOPE')).toBeUndefined();
  });
});

describe('fs apply’s error codes', () => {
  it('are classified as @fleet-service/apply classifies them', async () => {
    const { APPLY_ERROR_CLASSES } = await import('@fleet-service/apply/classify');
    for (const [code, cls] of Object.entries(APPLY_ERROR_CLASSES)) expect(CLI_ERROR_CLASSES[code]).toBe(cls);
  });
});
