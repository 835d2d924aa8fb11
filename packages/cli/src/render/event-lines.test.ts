import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { eventLine, summaryLine } from './event-lines.js';
import { looseEvent } from './test-helpers/loose-event.js';

const plain = new Chalk({ level: 0 });

describe('eventLine', () => {
  it.each([
    [
      {
        type: 'plan',
        plan: { summary: { create: 1, replace: 2, unchanged: 3, remove: 0, templateChanged: true } },
      },
      'plan: 1 to create, 2 to replace, 3 unchanged, 0 to remove, template changed',
    ],
    [
      {
        type: 'step-started',
        step: { unit: 'web@1.service', action: 'replace', batch: 2, reason: 'hash-changed' },
      },
      'web@1.service: replace (batch 2) — hash-changed',
    ],
    [
      { type: 'step-finished', step: { unit: 'web@1.service', action: 'replace' }, durationMs: 1500 },
      'web@1.service: replace done in 1.5s',
    ],
    [
      {
        type: 'state-observed',
        unit: 'web@1.service',
        currentState: 'launched',
        machineID: '0123456789abcdef',
        systemd: { load: 'loaded', active: 'active', sub: 'running' },
      },
      'web@1.service: launched on 01234567, systemd loaded/active/running',
    ],
    [
      { type: 'instance-healthy', unit: 'web@1.service', machineID: '0123456789abcdef' },
      'web@1.service: healthy on 01234567',
    ],
    [
      { type: 'instance-failed', unit: 'web@1.service', diagnosis: 'systemd reports failed/failed' },
      'web@1.service: failed — systemd reports failed/failed',
    ],
    [{ type: 'rollback-started', reason: 'web@1.service failed' }, 'rolling back: web@1.service failed'],
    [
      { type: 'rollback-finished', toHash: '1234567abc', rolledBack: ['web@1.service'] },
      'rolled back: 1 instance(s) back on 1234567',
    ],
    [
      {
        type: 'rollback-failed',
        toHash: '1234567abc',
        rolledBack: [],
        error: { message: 'web@1.service failed its health check' },
      },
      'the rollback failed too: web@1.service failed its health check (0 instance(s) back on 1234567)',
    ],
  ])('%j', (event, line) => {
    expect(eventLine(looseEvent(event), plain)).toBe(line);
  });

  it('prints nothing for events without a line', () => {
    expect(eventLine(looseEvent({ type: 'done' }), plain)).toBeUndefined();
  });
});

describe('lock events name the holder', () => {
  const lock = { owner: 'alice', host: 'build-7', pid: 4242, start: 0, expiry: 60_000, token: 't' };
  it.each([
    [{ type: 'lock-acquired', service: 'web', lock }, 'lock acquired by alice on build-7 (pid 4242)'],
    [
      { type: 'lock-acquired', service: 'web', lock, stolenFrom: { ...lock, owner: 'bob', pid: 7 } },
      'lock acquired by alice on build-7 (pid 4242), taken over from bob on build-7 (pid 7)',
    ],
    [
      {
        type: 'lock-acquired',
        service: 'web',
        lock,
        stolenFrom: { ...lock, pid: 7 },
        takeover: 'holder-dead',
      },
      'lock acquired by alice on build-7 (pid 4242), taken over from alice on build-7 (pid 7) (its process is gone)',
    ],
    [{ type: 'lock-released', service: 'web' }, 'lock released'],
    [{ type: 'lock-lost', service: 'web', holder: lock }, 'lock lost to alice on build-7 (pid 4242)'],
    [{ type: 'lock-lost', service: 'web' }, 'lock lost (lock unit gone)'],
  ])('%j', (event, line) => {
    expect(eventLine(looseEvent(event), plain)).toBe(line);
  });
});

describe('summaryLine', () => {
  it('outcome, duration and counts', () => {
    expect(
      summaryLine(
        {
          service: 'web',
          outcome: 'succeeded',
          replaced: ['a', 'b'],
          unchanged: ['c'],
          added: [],
          removed: ['d'],
          durationMs: 90_000,
        },
        plain,
      ),
    ).toBe('✔ web: succeeded in 1m30s — 2 replaced, 1 unchanged, 0 added, 1 removed');
    expect(summaryLine({ service: 'web', outcome: 'rolled-back' }, plain)).toMatch(/^↺ web: rolled-back/);
    // an instance replaced, then rolled back, counts once in each
    expect(
      summaryLine(
        {
          service: 'web',
          outcome: 'rolled-back',
          replaced: ['web@1.service'],
          rolledBack: ['web@1.service'],
        },
        plain,
      ),
    ).toMatch(/1 replaced, .* removed, 1 rolled back$/);
    expect(summaryLine({ service: 'web', outcome: 'aborted' }, plain)).toMatch(/^✖ web: aborted/);
  });
});
