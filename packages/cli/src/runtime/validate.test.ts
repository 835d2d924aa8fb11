import type { LockOptions, RolloutSpec, SpecProblem, Timeouts } from '@fleet-service/rollout';
import { outageProblems, validateSpec } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { createFlags } from '../flags/rollout-flags.js';
import { buildSpec } from './build-spec.js';
import { checkSpec, describeProblem, FIELD_TO_FLAG, flagName, specProblemsError } from './validate.js';

const unitFile = [{ section: 'Service', name: 'ExecStart', value: '/bin/web' }];

/** Every field of a RolloutSpec, with its parts (adding a spec field breaks this literal's type). */
const EVERY_FIELD = {
  spec: {
    service: '',
    unitFile: [],
    count: 0,
    maxUnavailable: 0,
    allowOutage: false,
    maxSurge: 0,
    machineAware: false,
    replaceMode: 'recreate',
    minHealthyMs: 0,
    timeouts: {},
    progressDeadlineMs: 0,
    pollIntervalMs: 0,
    onFailure: 'abort',
    force: false,
    maxParallel: 0,
    healthChecks: [],
    lock: {},
    canary: 0,
    canaryAutoPromoteMs: 0,
    batchDelayMs: 0,
    maxFailures: 0,
    hooks: {},
    perMachine: false,
  } satisfies Required<RolloutSpec>,
  timeouts: { stop: 0, gone: 0, launched: 0, healthy: 0 } satisfies Required<Timeouts>,
  lock: {
    owner: '',
    ttlMs: 0,
    steal: false,
    settleMs: 0,
    isHolderAlive: () => true,
  } satisfies Required<LockOptions>,
};

/** Internal names that must never reach the user (defect 9). */
const INTERNAL =
  /timeouts\.|[a-z][A-Z]\w*Ms\b|pollInterval|maxUnavailable|maxSurge|allowOutage|lock\.\w+|minHealthy/;

async function messageOf(spec: RolloutSpec): Promise<string> {
  try {
    await checkSpec(spec);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('spec problems in the user’s words (defect 9)', () => {
  it('every spec field has a flag name', () => {
    const fields = [
      ...Object.keys(EVERY_FIELD.spec).filter((f) => f !== 'timeouts' && f !== 'lock'),
      ...Object.keys(EVERY_FIELD.timeouts).map((k) => `timeouts.${k}`),
      ...Object.keys(EVERY_FIELD.lock).map((k) => `lock.${k}`),
    ];
    for (const field of fields) {
      expect(flagName(field), field).not.toBe(field);
      expect(Object.hasOwn(FIELD_TO_FLAG, field), field).toBe(true);
    }
    expect(flagName('unitFile[3]')).toBe('UNIT_FILE');
    expect(flagName('healthChecks[0].url')).toBe('--health-url');
    expect(flagName('healthChecks[1].port')).toBe('--health-tcp');
  });

  it('every flag named in the table exists on create', () => {
    const flags = Object.values(FIELD_TO_FLAG)
      .flatMap((name) => name.match(/--[a-z-]+/g) ?? [])
      .map((f) => f.slice(2));
    for (const flag of flags) expect(Object.keys(createFlags), flag).toContain(flag);
  });

  it('--progress-deadline 6s alone and --min-healthy 1s alone are accepted', async () => {
    expect(await messageOf(buildSpec('web', unitFile, { 'progress-deadline': 6_000 }))).toBe('');
    expect(await messageOf(buildSpec('web', unitFile, { 'min-healthy': 1_000 }))).toBe('');
  });

  it('a real conflict names the flags and shows durations as typed', async () => {
    const message = await messageOf(
      buildSpec('web', unitFile, { 'progress-deadline': 6_000, 'healthy-timeout': 10_000 }),
    );
    expect(message).toBe(
      'invalid rollout settings for web (1 problem):\n--healthy-timeout: --healthy-timeout (10s) must not exceed --progress-deadline (6s)',
    );
    expect(message).not.toMatch(INTERNAL);
  });

  it('no message of the engine leaks an internal field name', () => {
    const specs: RolloutSpec[] = [
      { service: 'web', unitFile, count: 3, maxUnavailable: 3 },
      { service: 'web', unitFile, maxUnavailable: 0, maxSurge: 0 },
      { service: 'web', unitFile, minHealthyMs: 1_000, pollIntervalMs: 800 },
      { service: 'web', unitFile, minHealthyMs: 9_000, timeouts: { healthy: 5_000 } },
      { service: 'web', unitFile, pollIntervalMs: 5_000, timeouts: { stop: 4_000 } },
      { service: 'web', unitFile, lock: { ttlMs: 100 }, pollIntervalMs: 1_000 },
      { service: 'web', unitFile, count: 0, maxParallel: 0, progressDeadlineMs: 0, minHealthyMs: -1 },
    ];
    const problems: SpecProblem[] = specs.flatMap((spec) => validateSpec(spec));
    expect(problems.length).toBeGreaterThanOrEqual(specs.length);
    for (const p of problems) expect(describeProblem(p)).not.toMatch(INTERNAL);
  });

  it('an outage found after observing (count kept) reads the same way', () => {
    const error = specProblemsError(
      'web',
      outageProblems({ service: 'web', unitFile, maxUnavailable: 4 }, 4),
    );
    expect(error.code).toBe('ERR_ROLLOUT_INVALID_SPEC');
    expect(error.message).toMatch(/--max-unavailable \(4\) ≥ --count \(4\)/);
    expect(error.message).toMatch(/--allow-outage/);
    expect(error.message).not.toMatch(INTERNAL);
  });
});

describe('--max-unavailable ≥ --count (defect 10)', () => {
  it('is refused unless --allow-outage', async () => {
    expect(await messageOf(buildSpec('web', unitFile, { count: 3, 'max-unavailable': 3 }))).toMatch(
      /^invalid rollout settings for web \(1 problem\):\n--max-unavailable: /,
    );
    expect(
      await messageOf(buildSpec('web', unitFile, { count: 3, 'max-unavailable': 3, 'allow-outage': true })),
    ).toBe('');
  });

  it('the flags’ help says what the default guarantees', () => {
    expect(createFlags['max-unavailable'].summary).toMatch(/N−1 of N keep serving/);
    expect(createFlags['max-surge'].summary).toMatch(/--max-surge 1 keeps all N serving/);
    expect(createFlags.count.summary).toMatch(/current count; 3 for a new service/);
  });
});
