import type { ServiceStatus } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import type { OutputMode } from '../output/output-mode.js';
import { recordText, servicesText, serviceText } from './status-text.js';

const mode: OutputMode = { format: 'text', live: false, color: false, verbose: false, quiet: false };
const H1 = '1111111aaaa';
const H2 = '2222222bbbb';

describe('servicesText (fs status, the old ls)', () => {
  it('one row per service with counts per systemd active state', () => {
    const text = servicesText(
      [
        {
          service: 'api',
          hasTemplate: true,
          instances: 2,
          byActiveState: { active: 1, failed: 1 },
          locked: true,
        },
        { service: 'web', hasTemplate: true, instances: 3, byActiveState: { active: 3 }, locked: false },
        {
          service: 'db',
          hasTemplate: true,
          instances: 1,
          byActiveState: { active: 1 },
          locked: false,
          lock: { owner: 'fs', host: 'h', pid: 1, start: 0, expiry: 0, token: 't', expired: true },
        },
      ],
      mode,
    );
    expect(text).toBe(
      [
        'SERVICE  INSTANCES  ACTIVE  FAILED  LOCKED',
        'api      2          1       1       yes',
        'web      3          3       0       -',
        'db       1          1       0       expired',
        '',
      ].join('\n'),
    );
  });
  it('says so when there is none', () => {
    expect(servicesText([], mode)).toBe('no services\n');
  });
});

describe('serviceText (fs status S)', () => {
  it('index, machine, states, contents vs template, lock holder', () => {
    const status: ServiceStatus = {
      service: 'web',
      hashes: { [H1]: 1, [H2]: 1 },
      units: [
        { name: 'web@.service', role: 'template', hash: H1, running: false },
        {
          name: 'web@1.service',
          role: 'instance',
          index: 1,
          hash: H1,
          currentState: 'launched',
          machineID: 'abcdef0123',
          primaryIP: '10.0.0.1',
          systemd: { load: 'loaded', active: 'active', sub: 'running' },
          running: true,
        },
        {
          name: 'web@2.service',
          role: 'instance',
          index: 2,
          hash: H2,
          currentState: 'inactive',
          running: false,
        },
      ],
      lock: { owner: 'fs', host: 'ci-1', pid: 42, start: 0, expiry: 0, token: 't', expired: true },
    };
    const text = serviceText(status, mode);
    expect(text).toContain('web: 2 unit(s), template 1111111');
    expect(text).toMatch(
      /^1\s+web@1\.service\s+abcdef01\/10\.0\.0\.1\s+launched\s+loaded\/active\/running\s+1111111 =$/m,
    );
    expect(text).toMatch(/^2\s+web@2\.service\s+-\s+inactive\s+-\s+2222222 ≠$/m);
    expect(text).toContain('lock: fs on ci-1 (pid 42) until 1970-01-01T00:00:00.000Z (expired)');
  });
  it('after an automatic rollback the last rollout names the hash rolled back TO', () => {
    const status: ServiceStatus = {
      service: 'web',
      hashes: { [H1]: 1 },
      units: [{ name: 'web@.service', role: 'template', hash: H1, running: false }],
      record: {
        status: 'rolled-back',
        updated: 0,
        target: { hash: H2, count: 1 },
        previous: { hash: H1, options: [], count: 1 },
      },
      lastRollout: { status: 'rolled-back', hash: H1, count: 1 },
    };
    expect(serviceText(status, mode)).toContain('last rollout: rolled-back to 1111111');
  });
  it('a service without units', () => {
    expect(serviceText({ service: 'nope', units: [], hashes: {} }, mode)).toBe(
      'nope: no units (no such service)\n',
    );
  });
});

describe('recordText (the last rollout in fs status)', () => {
  const previous = { hash: '1111111aaaa', options: [], count: 3 };
  it('a rolled-back rollout names the contents it put back, and the bad one only as "from"', () => {
    expect(
      recordText({ status: 'rolled-back', previous, target: { hash: '9999999bbbb', count: 3 }, updated: 0 }),
    ).toBe('rolled-back to 1111111 (from 9999999)');
  });
  it('others name their target', () => {
    expect(
      recordText({ status: 'succeeded', previous, target: { hash: '9999999bbbb', count: 3 }, updated: 0 }),
    ).toBe('succeeded (to 9999999)');
  });
});
