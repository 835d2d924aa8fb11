import { resolveSettings, validateSpec } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { createFlags } from '../flags/rollout-flags.js';
import { buildSpec, parseHealthTcp, strategyFrom } from './build-spec.js';

describe('strategyFrom', () => {
  it('maps every flag onto the RolloutSpec', () => {
    expect(
      strategyFrom({
        count: 5,
        force: true,
        'max-unavailable': 2,
        'max-surge': 1,
        'allow-outage': true,
        'max-parallel': 8,
        'machine-aware': true,
        'replace-mode': 'in-place',
        'min-healthy': 2_000,
        'stop-timeout': 1_000,
        'gone-timeout': 2_000,
        'launched-timeout': 3_000,
        'healthy-timeout': 4_000,
        'progress-deadline': 60_000,
        'poll-interval': 250,
        'on-failure': 'rollback',
        'health-url': 'http://{ip}:8080/health',
        'health-tcp': '{ip}:9000',
        'steal-lock': true,
        'lock-settle': 10,
      }),
    ).toEqual({
      count: 5,
      force: true,
      maxUnavailable: 2,
      maxSurge: 1,
      allowOutage: true,
      maxParallel: 8,
      machineAware: true,
      replaceMode: 'in-place',
      minHealthyMs: 2_000,
      timeouts: { stop: 1_000, gone: 2_000, launched: 3_000, healthy: 4_000 },
      progressDeadlineMs: 60_000,
      pollIntervalMs: 250,
      onFailure: 'rollback',
      healthChecks: [
        { kind: 'http', url: 'http://{ip}:8080/health' },
        { kind: 'tcp', host: '{ip}', port: 9000 },
      ],
      lock: { steal: true, settleMs: 10 },
    });
  });

  it('leaves out what was not given (the engine applies its defaults)', () => {
    expect(strategyFrom({})).toEqual({});
  });

  it('--timeout SECONDS sets every per-state timeout; a per-state flag overrides it', () => {
    expect(strategyFrom({ timeout: 600_000, 'healthy-timeout': 30_000 }).timeouts).toEqual({
      stop: 600_000,
      gone: 600_000,
      launched: 600_000,
      healthy: 30_000,
    });
  });

  it('a --timeout above the default progress deadline lifts the deadline with it (the engine derives it)', () => {
    const unitFile = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    const long = buildSpec('web', unitFile, { timeout: 3_600_000 });
    expect(long.progressDeadlineMs).toBeUndefined();
    expect(validateSpec(long)).toEqual([]);
    expect(resolveSettings(long).progressDeadlineMs).toBe(3_600_000);
    expect(resolveSettings(buildSpec('web', unitFile, { timeout: 600_000 })).progressDeadlineMs).toBe(
      1_800_000,
    );
  });

  it('leaves count out when --count is not given: the engine keeps the current count (defect 2)', () => {
    const unitFile = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    expect(buildSpec('web', unitFile, {})).not.toHaveProperty('count');
    expect(createFlags.count.default).toBeUndefined(); // was 3: a 4-instance service was scaled to 3
  });

  it('refuses health checks it cannot use', () => {
    expect(() => strategyFrom({ 'health-url': 'ftp://x' })).toThrow(/--health-url/);
    expect(() => strategyFrom({ 'health-tcp': 'nohost' })).toThrow(/--health-tcp: "nohost" is not HOST:PORT/);
    expect(() => parseHealthTcp('h:70000')).toThrow(/HOST:PORT/);
  });
});

describe('buildSpec', () => {
  it('puts service and unit file first', () => {
    const unitFile = [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }];
    expect(buildSpec('web', unitFile, { count: 2 })).toEqual({ service: 'web', unitFile, count: 2 });
  });
});
