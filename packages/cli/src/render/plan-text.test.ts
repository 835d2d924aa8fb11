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
});
