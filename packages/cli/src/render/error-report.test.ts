import { describe, expect, it } from 'vitest';
import { buildErrorReport } from './error-report.js';

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
    expect(report.details).toEqual(['web@2.service: systemd loaded/failed/failed on machine abcdef01']);
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
});
