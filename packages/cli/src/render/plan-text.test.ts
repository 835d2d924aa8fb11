import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { lineDiff, planText } from './plan-text.js';

const plain = new Chalk({ level: 0 });

describe('lineDiff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\n')).toEqual([
      { op: ' ', line: 'a' },
      { op: '-', line: 'b' },
      { op: '+', line: 'x' },
      { op: ' ', line: 'c' },
    ]);
  });
  it('handles empty sides', () => {
    expect(lineDiff('', 'a\n')).toEqual([{ op: '+', line: 'a' }]);
    expect(lineDiff('a\n', '')).toEqual([{ op: '-', line: 'a' }]);
  });
});

describe('planText', () => {
  it('prints the summary, steps by batch, and the diff', () => {
    const text = planText(
      {
        service: 'web',
        newHash: 'bbbbbbbbbb',
        previousHash: 'aaaaaaaaaa',
        count: 2,
        steps: [
          { id: 1, batch: 1, action: 'replace', unit: 'web@1.service', reason: 'hash-changed' },
          { id: 2, batch: 2, action: 'replace', unit: 'web@2.service', reason: 'hash-changed' },
        ],
        summary: { create: 0, replace: 2, unchanged: 0, remove: 0 },
        diff: { from: '[Service]\nExecStart=/v1\n', to: '[Service]\nExecStart=/v2\n' },
      },
      plain,
    );
    expect(text).toContain('Plan for web: aaaaaaa → bbbbbbb, 2 instance(s)');
    expect(text).toMatch(/batch 1\n\s+1\. replace\s+web@1\.service\s+\(hash-changed\)\n\s+batch 2/);
    expect(text).toContain('- ExecStart=/v1\n+ ExecStart=/v2');
  });
  it('nothing to do: says "nothing to change" and prints no diff', () => {
    const text = planText(
      {
        service: 'web',
        newHash: 'b',
        count: 1,
        steps: [],
        diff: { from: '[Service]\nExecStart=/v1\n', to: '[Service]\nExecStart=/v1\n' },
      },
      plain,
    );
    expect(text).toContain('nothing to change');
    expect(text).not.toContain('Unit contents');
    expect(text).not.toContain('ExecStart');
  });

  it('shows a canary that promotes by itself, the watch step, hooks per step and the batch delay', () => {
    const text = planText(
      {
        service: 'web',
        newHash: 'bbbbbbbbbb',
        count: 2,
        canary: { count: 1, units: ['web@3.service'], autoPromoteMs: 600_000 },
        settings: {
          maxUnavailable: 1,
          maxSurge: 0,
          batchDelayMs: 30_000,
          maxFailures: 1,
          hooks: { preStop: true, postStart: true, timeoutMs: 30_000 },
        },
        steps: [
          {
            id: 1,
            batch: 1,
            action: 'create',
            unit: 'web@3.service',
            reason: 'canary',
            hooks: ['post-start'],
          },
          {
            id: 2,
            batch: 2,
            action: 'watch',
            unit: 'web@3.service',
            reason: 'canary-watch',
            durationMs: 600_000,
            watchUnits: ['web@3.service'],
          },
          {
            id: 3,
            batch: 3,
            action: 'replace',
            unit: 'web@1.service',
            reason: 'hash-changed',
            hooks: ['pre-stop', 'post-start'],
          },
        ],
      },
      plain,
    );
    expect(text).toContain('batch-delay 30s, max-failures 1, hooks pre-stop+post-start (timeout 30s)');
    expect(text).toContain(
      'canary: web@3.service beside the 2 serving; promoted by itself after 10m healthy',
    );
    expect(text).toMatch(/create\s+web@3\.service\s+\(canary\)\s+\[post-start\]/);
    expect(text).toMatch(
      /batch 2 \(after 30s\)\n\s+2\. watch\s+web@3\.service healthy for 10m\s+\(canary-watch\)/,
    );
    expect(text).toMatch(/replace\s+web@1\.service\s+\(hash-changed\)\s+\[pre-stop, post-start\]/);
  });
});
