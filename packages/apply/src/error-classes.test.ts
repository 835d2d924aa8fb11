import { ERROR_CLASSES } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { APPLY_CLASS_PRECEDENCE, APPLY_ERROR_CLASSES, worstFailureClass } from './error-classes.js';
import { APPLY_ERROR_CODES } from './errors.js';

describe('failure classes of an apply', () => {
  it('the worst class among the services decides, interrupted first', () => {
    expect(worstFailureClass([undefined, 'usage', 'rolled-back', 'instance-failed'])).toBe('instance-failed');
    expect(worstFailureClass(['rollback-failed', 'interrupted'])).toBe('interrupted');
    expect(worstFailureClass([undefined, undefined])).toBeUndefined();
    expect(worstFailureClass(['something-new'])).toBe('internal');
  });
  it('every engine class has a place in the precedence; every bad-input code is usage', () => {
    for (const cls of new Set(Object.values(ERROR_CLASSES))) expect(APPLY_CLASS_PRECEDENCE).toContain(cls);
    expect(Object.keys(APPLY_ERROR_CLASSES).sort()).toEqual(
      Object.values(APPLY_ERROR_CODES)
        .filter((c) => c !== 'ERR_APPLY_FAILED')
        .sort(),
    );
    const { ERR_APPLY_FAIL_FAST, ...badInput } = APPLY_ERROR_CLASSES;
    expect(ERR_APPLY_FAIL_FAST).toBe('interrupted');
    expect(new Set(Object.values(badInput))).toEqual(new Set(['usage']));
  });
});
