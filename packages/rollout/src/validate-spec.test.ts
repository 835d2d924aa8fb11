import type { UnitOption } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { type RolloutSpec, resolveSettings } from './spec.js';
import { validateSpec } from './validate-spec.js';

const unitFile: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web' }];
const ok: RolloutSpec = { service: 'web', unitFile };
const fields = (spec: RolloutSpec) => validateSpec(spec).map((p) => p.field);

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
      'minHealthyMs (10000) must be less than timeouts.healthy (5000)',
      'timeouts.launched (2000000) must not exceed progressDeadlineMs (1000000)',
    ]);
    expect(validateSpec({ ...ok, pollIntervalMs: 700_000 }).map((p) => p.field)).toContain('pollIntervalMs');
    expect(validateSpec({ ...ok, pollIntervalMs: 3_000, minHealthyMs: 5_000 }).map((p) => p.message)).toEqual(
      [
        'pollIntervalMs (3000) must be at most half of minHealthyMs (5000), or a restart loop can pass the stability window between two polls',
      ],
    );
    expect(validateSpec({ ...ok, pollIntervalMs: 3_000, minHealthyMs: 0 })).toEqual([]);
    expect(validateSpec({ ...ok, maxUnavailable: 0 }).map((p) => p.message)).toEqual([
      'maxUnavailable and maxSurge are both 0: no instance could ever be replaced',
    ]);
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
      replaceMode: 'recreate',
      onFailure: 'abort',
      minHealthyMs: 5_000,
      pollIntervalMs: 1_000,
      progressDeadlineMs: 1_800_000,
      timeouts: { stop: 600_000, gone: 600_000, launched: 600_000, healthy: 600_000 },
    });
  });
});
