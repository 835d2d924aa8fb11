import type { UnitOption } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { type RolloutSpec, resolveSettings } from './spec.js';
import { outageProblems, validateSpec } from './validate-spec.js';

const unitFile: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web' }];
const ok: RolloutSpec = { service: 'web', unitFile };
const fields = (spec: RolloutSpec) => validateSpec(spec).map((p) => p.field);

describe('validateSpec: canary, hooks, pacing, budgets, per machine', () => {
  it('accepts them, and refuses bad values and bad combinations by field', () => {
    expect(
      validateSpec({
        ...ok,
        canary: 2,
        canaryAutoPromoteMs: 60_000,
        batchDelayMs: 1_000,
        maxFailures: 0.2,
        hooks: { preStop: async () => {}, postStart: async () => {}, timeoutMs: 5_000 },
      }),
    ).toEqual([]);
    expect(fields({ ...ok, canary: -1 })).toEqual(['canary']);
    expect(fields({ ...ok, canaryAutoPromoteMs: 1_000 })).toEqual(['canaryAutoPromoteMs']);
    expect(fields({ ...ok, batchDelayMs: -5 })).toEqual(['batchDelayMs']);
    expect(fields({ ...ok, maxFailures: 1.5 })).toEqual(['maxFailures']);
    expect(fields({ ...ok, hooks: { preStop: 'drain' as never, timeoutMs: 0 } })).toEqual([
      'hooks.preStop',
      'hooks.timeoutMs',
    ]);
    expect(fields({ ...ok, perMachine: true, count: 3, maxSurge: 1, canary: 1 })).toEqual([
      'count',
      'maxSurge',
      'canary',
    ]);
  });

  it('Global=true: unsupported without perMachine, accepted with it', () => {
    const global: UnitOption[] = [...unitFile, { section: 'X-Fleet', name: 'Global', value: 'true' }];
    expect(validateSpec({ ...ok, unitFile: global })).toMatchObject([
      { field: 'unitFile', kind: 'unsupported', message: expect.stringMatching(/perMachine/) },
    ]);
    expect(validateSpec({ ...ok, unitFile: global, perMachine: true })).toEqual([]);
  });

  it('a failure budget ratio is of the count, rounded down', () => {
    expect(resolveSettings({ ...ok, count: 10, maxFailures: 0.25 }).maxFailures).toBe(2);
    expect(resolveSettings({ ...ok, count: 10, maxFailures: 3 }).maxFailures).toBe(3);
    expect(resolveSettings({ ...ok }).maxFailures).toBe(0);
  });
});

describe('validateSpec', () => {
  it('accepts a minimal spec', () => {
    expect(validateSpec(ok)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const problems = validateSpec({
      service: 'we@b',
      unitFile: [],
      count: 0,
      maxUnavailable: -1,
      maxSurge: 1.5,
      maxParallel: 0,
      onFailure: 'explode' as never,
      replaceMode: 'teleport' as never,
      timeouts: { healthy: -5, bogus: 1 } as never,
    });
    expect(problems.map((p) => p.field)).toEqual([
      'service',
      'unitFile',
      'count',
      'maxUnavailable',
      'maxSurge',
      'maxParallel',
      'timeouts.healthy',
      'timeouts.bogus',
      'onFailure',
      'replaceMode',
    ]);
    expect(problems[0]!.message).toMatch(/cannot contain "@"/);
  });

  it('refuses service names that would collide with the engine’s reserved units', () => {
    expect(fields({ ...ok, service: 'web.fs-lock' })).toEqual(['service']);
    expect(fields({ ...ok, service: 'web.fs-record' })).toEqual(['service']);
  });

  it('checks timeouts against each other', () => {
    const problems = validateSpec({
      ...ok,
      minHealthyMs: 10_000,
      timeouts: { healthy: 5_000, launched: 2_000_000 },
      progressDeadlineMs: 1_000_000,
      pollIntervalMs: 3_000,
    });
    expect(problems.map((p) => p.message)).toEqual([
      'minHealthyMs (10000 ms) must be less than timeouts.healthy (5000 ms)',
      'timeouts.launched (2000000 ms) must not exceed progressDeadlineMs (1000000 ms)',
    ]);
    expect(validateSpec({ ...ok, pollIntervalMs: 700_000, timeouts: { stop: 600_000 } })).toEqual([
      expect.objectContaining({
        field: 'pollIntervalMs',
        message: 'pollIntervalMs (700000 ms) must be less than timeouts.stop (600000 ms)',
      }),
    ]);
    expect(validateSpec({ ...ok, pollIntervalMs: 3_000, minHealthyMs: 5_000 }).map((p) => p.message)).toEqual(
      [
        'pollIntervalMs (3000 ms) must be at most half of minHealthyMs (5000 ms), or a restart loop can pass the stability window between two polls',
      ],
    );
    expect(validateSpec({ ...ok, pollIntervalMs: 3_000, minHealthyMs: 0 })).toEqual([]);
    expect(validateSpec({ ...ok, maxUnavailable: 0 }).map((p) => p.message)).toEqual([
      'maxUnavailable and maxSurge are both 0: no instance could ever be replaced',
    ]);
  });

  // defect 9 (issue 11): a setting given alone was checked against the defaults of the others
  it.each<[string, Partial<RolloutSpec>]>([
    ['a short progress deadline alone', { progressDeadlineMs: 6_000 }],
    ['a short min-healthy alone', { minHealthyMs: 1_000 }],
    ['a long poll interval alone', { pollIntervalMs: 700_000 }],
    ['a short healthy timeout alone', { timeouts: { healthy: 3_000 } }],
    ['a long state timeout alone', { timeouts: { launched: 3_600_000 } }],
    ['a short lock ttl alone', { lock: { ttlMs: 1_500 } }],
  ])('accepts %s: dependent defaults are derived from it', (_name, extra) => {
    expect(validateSpec({ ...ok, ...extra })).toEqual([]);
  });

  it('derives dependent defaults from what was given (worked examples)', () => {
    expect(resolveSettings({ ...ok, progressDeadlineMs: 6_000 })).toMatchObject({
      timeouts: { stop: 6_000, gone: 6_000, launched: 6_000, healthy: 6_000 },
      minHealthyMs: 3_000,
      pollIntervalMs: 1_000,
      progressDeadlineMs: 6_000,
    });
    expect(resolveSettings({ ...ok, minHealthyMs: 1_000 }).pollIntervalMs).toBe(500);
    expect(resolveSettings({ ...ok, timeouts: { launched: 3_600_000 } }).progressDeadlineMs).toBe(3_600_000);
  });

  it('still rejects conflicts between settings that were both given, naming the one given', () => {
    expect(fields({ ...ok, progressDeadlineMs: 6_000, timeouts: { healthy: 10_000 } })).toEqual([
      'timeouts.healthy',
    ]);
    expect(fields({ ...ok, minHealthyMs: 1_000, pollIntervalMs: 800 })).toEqual(['pollIntervalMs']);
    expect(fields({ ...ok, minHealthyMs: 8_000, progressDeadlineMs: 6_000 })).toEqual(['minHealthyMs']);
  });

  // defect 10 (issue 11): maxUnavailable ≥ count was a silent full outage
  it('refuses maxUnavailable ≥ count unless allowOutage', () => {
    const outage = validateSpec({ ...ok, count: 3, maxUnavailable: 3 });
    expect(outage).toEqual([expect.objectContaining({ field: 'maxUnavailable', kind: 'invalid' })]);
    expect(outage[0]!.message).toMatch(/every instance be down at once/);
    expect(fields({ ...ok, count: 3, maxUnavailable: 5 })).toEqual(['maxUnavailable']);
    expect(validateSpec({ ...ok, count: 3, maxUnavailable: 3, allowOutage: true })).toEqual([]);
    expect(validateSpec({ ...ok, count: 3, maxUnavailable: 2 })).toEqual([]);
    // the default 1 with a single instance is what a replace needs: not refused
    expect(validateSpec({ ...ok, count: 1 })).toEqual([]);
    expect(fields({ ...ok, allowOutage: 'yes' as never })).toEqual(['allowOutage']);
  });

  it('outageProblems checks a count known only after observing (count not given)', () => {
    expect(outageProblems({ ...ok, maxUnavailable: 4 }, 4).map((p) => p.field)).toEqual(['maxUnavailable']);
    expect(outageProblems({ ...ok, maxUnavailable: 4 }, 5)).toEqual([]);
    expect(outageProblems({ ...ok, maxUnavailable: 4, allowOutage: true }, 4)).toEqual([]);
    expect(outageProblems(ok, 1)).toEqual([]);
  });

  it('rejects Global=true as unsupported and invalid X-Fleet combinations as invalid', () => {
    const global = validateSpec({
      ...ok,
      unitFile: [...unitFile, { section: 'X-Fleet', name: 'Global', value: 'true' }],
    });
    expect(global).toEqual([expect.objectContaining({ field: 'unitFile', kind: 'unsupported' })]);
    const bad = validateSpec({
      ...ok,
      unitFile: [
        ...unitFile,
        { section: 'X-Fleet', name: 'MachineID', value: 'abc' },
        { section: 'X-Fleet', name: 'Conflicts', value: 'x*' },
      ],
    });
    expect(bad.map((p) => p.message)).toContain('MachineID cannot be used with Conflicts');
  });

  it('checks health checks', () => {
    const problems = validateSpec({
      ...ok,
      healthChecks: [
        { kind: 'http', url: 'ftp://{ip}/' },
        { kind: 'tcp', host: '{ip}', port: 70_000 },
        { kind: 'http', url: 'http://{ip}:8080/health?i={index}' },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual(['healthChecks[0].url', 'healthChecks[1].port']);
  });

  it('defaults: maxUnavailable becomes 0 when only maxSurge is given', () => {
    expect(resolveSettings({ ...ok, maxSurge: 1 })).toMatchObject({
      maxUnavailable: 0,
      maxSurge: 1,
      count: 3,
    });
    expect(resolveSettings(ok)).toMatchObject({
      count: 3,
      maxUnavailable: 1,
      maxSurge: 0,
      replaceMode: 'auto',
      onFailure: 'abort',
      minHealthyMs: 5_000,
      pollIntervalMs: 1_000,
      progressDeadlineMs: 1_800_000,
      timeouts: { stop: 600_000, gone: 600_000, launched: 600_000, healthy: 600_000 },
    });
  });
});
