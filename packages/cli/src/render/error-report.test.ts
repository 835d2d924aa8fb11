import {
  InstanceFailedError,
  LockHeldError,
  RolledBackError,
  StateTimeoutError,
} from '@fleet-service/rollout';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildErrorReport } from './error-report.js';
import { printErrorReport } from './print-error.js';

function coded(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('buildErrorReport', () => {
  it("a failed instance: one sentence, the resume hint, and the instance's systemd states and machine", () => {
    const report = buildErrorReport(
      coded('web@2.service failed: systemd reports failed/failed', {
        code: 'ERR_ROLLOUT_INSTANCE_FAILED',
        unit: 'web@2.service',
        diagnosis: 'systemd reports failed/failed',
        machineID: 'abcdef0123456789',
      }),
      {
        exitCode: 6,
        service: 'web',
        rerun: 'fs create web web.service',
        lastFailure: { unit: 'web@2.service', systemd: { load: 'loaded', active: 'failed', sub: 'failed' } },
      },
    );
    expect(report.message).toBe('web@2.service failed: systemd reports failed/failed');
    expect(report.hint).toBe(
      'resume with: fs create web web.service, or put the previous version back with: fs rollback web',
    );
    expect(report.details).toEqual([
      'web@2.service: systemd loaded/failed/failed on machine abcdef01',
      'logs: fleetctl journal web@2.service, or journalctl -u web@2.service on its machine',
    ]);
    expect(report.context).toMatchObject({ unit: 'web@2.service', machineID: 'abcdef0123456789' });
  });

  it('lists every problem of a unit file, with its line', () => {
    const report = buildErrorReport(
      coded('cannot parse unit file web.service (2 problems):\n  web.service:1: a\n  web.service:3: b', {
        code: 'ERR_UNIT_FILE_SYNTAX',
      }),
      { exitCode: 2 },
    );
    expect(report.message).toBe('cannot parse unit file web.service (2 problems):');
    expect(report.details).toEqual(['web.service:1: a', 'web.service:3: b']);
  });

  it('oclif flag errors lead with our message', () => {
    const report = buildErrorReport(
      coded('Parsing --count\n\t--count: "abc" is not a whole number\nSee more help with --help', {
        oclif: { exit: 2 },
      }),
      { exitCode: 2 },
    );
    expect(report.message).toBe('--count: "abc" is not a whole number');
    expect(report.details).toEqual([]);
    expect(report.code).toBe('ERR_USAGE');
  });

  it('hints per code: unreachable names the endpoint, lock held names --steal-lock', () => {
    expect(
      buildErrorReport(coded('x', { code: 'ERR_FLEET_UNREACHABLE' }), { exitCode: 3, endpoint: 'http://h:1' })
        .hint,
    ).toContain('(now http://h:1)');
    expect(buildErrorReport(coded('x', { code: 'ERR_ROLLOUT_LOCK_HELD' }), { exitCode: 9 }).hint).toContain(
      '--steal-lock',
    );
  });

  it('an interrupted run says so and gives the resume hint', () => {
    const report = buildErrorReport(coded('rollout of web aborted', { code: 'ERR_ROLLOUT_ABORTED' }), {
      exitCode: 130,
      interrupted: true,
      rerun: 'fs create web w.service',
    });
    expect(report.message).toBe('interrupted: rollout of web aborted');
    expect(report.hint).toMatch(/^resume with: fs create web w\.service/);
  });

  it('anything thrown becomes a report', () => {
    expect(buildErrorReport('boom', { exitCode: 1 })).toMatchObject({
      message: 'boom',
      code: 'ERR_INTERNAL',
    });
  });

  it('a failed instance points to its logs: fleetctl journal, or journalctl on the named machine and IP', () => {
    const error = new RolledBackError(
      'web',
      new InstanceFailedError({
        unit: 'web@1.service',
        diagnosis: 'systemd reports failed/failed on 0123abcd',
        machineID: '0123abcd4567',
      }),
    );
    const report = buildErrorReport(error, {
      exitCode: 7,
      service: 'web',
      lastFailure: {
        unit: 'web@1.service',
        diagnosis: 'systemd reports failed/failed on 0123abcd',
        machineID: '0123abcd4567',
        primaryIP: '10.0.0.2',
        systemd: { load: 'loaded', active: 'failed', sub: 'failed' },
      },
    });
    expect(report.details).toContain(
      'logs: fleetctl journal web@1.service, or journalctl -u web@1.service on machine 0123abcd (10.0.0.2)',
    );
    expect(report.context.logs).toEqual({
      unit: 'web@1.service',
      fleetctl: 'fleetctl journal web@1.service',
      journalctl: 'journalctl -u web@1.service',
      machineID: '0123abcd4567',
      primaryIP: '10.0.0.2',
    });
  });

  it('a timed-out wait without an instance-failed event still names the unit whose logs to read', () => {
    const error = new StateTimeoutError({
      unit: 'web@3.service',
      phase: 'healthy',
      waitedFor: 'active',
      lastSeen: 'activating/start',
      timeoutMs: 1000,
    });
    expect(buildErrorReport(error, { exitCode: 5 }).details).toContain(
      'logs: fleetctl journal web@3.service, or journalctl -u web@3.service on its machine',
    );
    // not for errors that are not about a unit coming up
    expect(
      buildErrorReport(Object.assign(new Error('x'), { code: 'ERR_ROLLOUT_DRIFT', unit: 'web@3.service' }), {
        exitCode: 9,
      }).details.join('\n'),
    ).not.toContain('logs:');
  });
});

describe('a held lock names its holder (owner, host, pid, since, expiry)', () => {
  const holder = {
    owner: 'alice',
    host: 'build-7',
    pid: 4242,
    start: Date.UTC(2026, 0, 2, 3, 4, 5),
    expiry: Date.UTC(2026, 0, 2, 3, 5, 5),
    token: 'secret-token',
  };
  const capture = () => {
    const out: string[] = [];
    const write = (chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(write);
    vi.spyOn(process.stderr, 'write').mockImplementation(write);
    return out;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('in text', () => {
    const report = buildErrorReport(new LockHeldError('web', holder), { exitCode: 9, service: 'web' });
    const out = capture();
    printErrorReport(report, { format: 'text', color: false, verbose: false });
    expect(out.join('')).toContain(
      'lock held by alice on build-7 (pid 4242) since 2026-01-02T03:04:05.000Z, expires 2026-01-02T03:05:05.000Z',
    );
  });

  it('in JSON, without the lock token', () => {
    const report = buildErrorReport(new LockHeldError('web', holder), { exitCode: 9, service: 'web' });
    const out = capture();
    printErrorReport(report, { format: 'json', color: false, verbose: false });
    const doc = JSON.parse(out.join(''));
    expect(doc.error.holder).toEqual({
      owner: 'alice',
      host: 'build-7',
      pid: 4242,
      since: '2026-01-02T03:04:05.000Z',
      expires: '2026-01-02T03:05:05.000Z',
    });
    expect(JSON.stringify(doc)).not.toContain('secret-token');
  });
});
