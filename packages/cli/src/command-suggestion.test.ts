import { describe, expect, it } from 'vitest';
import { editDistance, suggestCommand } from './command-suggestion.js';

const ids = ['create', 'destroy', 'help', 'machines', 'lm', 'plan', 'rollback', 'sim', 'status', 'ls'];

describe('suggestCommand', () => {
  it.each([
    ['deploy', 'create'], // the word other tools use
    ['apply', 'create'],
    ['delete', 'destroy'],
    ['crate', 'create'], // typos
    ['stauts', 'status'],
    ['destory', 'destroy'],
    ['machine', 'machines'],
    ['CREATE', 'create'],
    ['lss', 'ls'],
  ])('%s → %s', (word, want) => {
    expect(suggestCommand(word, ids)).toBe(want);
  });

  it('suggests nothing for a word far from every command', () => {
    expect(suggestCommand('kubernetes', ids)).toBeUndefined();
    expect(suggestCommand('xyz', ids)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('create', 'create')).toBe(0);
    expect(editDistance('crate', 'create')).toBe(1);
    expect(editDistance('stauts', 'status')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
