// The terminal help memo: keyed by everything that decides oclif's text, written only on exit 0.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { helpMemoDir, helpMemoFile, readHelpMemo, type TerminalHelpContext } from './help-memo.js';

const ctx = (over: Partial<TerminalHelpContext> = {}): TerminalHelpContext => ({
  env: { TERM: 'xterm-256color' },
  nameVersion: '@fleet-service/cli/1.0.0',
  columns: 120,
  platform: 'linux',
  arch: 'x64',
  nodeVersion: 'v20.20.2',
  ...over,
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('help memo', () => {
  it('lives in FS_HELP_CACHE_DIR, XDG_CACHE_HOME/fs or ~/.cache/fs; FS_HELP_CACHE=0 and DEBUG turn it off', () => {
    expect(helpMemoDir({ FS_HELP_CACHE_DIR: '/x' })).toBe('/x');
    expect(helpMemoDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'fs'));
    expect(helpMemoDir({})).toMatch(/\.cache[/\\]fs$/);
    expect(helpMemoDir({ FS_HELP_CACHE: '0', FS_HELP_CACHE_DIR: '/x' })).toBeUndefined();
    expect(helpMemoDir({ DEBUG: '*' })).toBeUndefined();
  });

  it('keys on the request, width, colour environment, version and user agent', () => {
    const base = helpMemoFile('/d', 'create', ctx());
    expect(helpMemoFile('/d', 'create', ctx())).toBe(base);
    for (const other of [
      helpMemoFile('/d', 'ls', ctx()),
      helpMemoFile('/d', 'create', ctx({ columns: 80 })),
      helpMemoFile('/d', 'create', ctx({ env: { TERM: 'xterm-256color', NO_COLOR: '1' } })),
      helpMemoFile('/d', 'create', ctx({ env: { TERM: 'dumb' } })),
      helpMemoFile('/d', 'create', ctx({ env: { TERM: 'xterm-256color', OCLIF_COLUMNS: '100' } })),
      helpMemoFile('/d', 'create', ctx({ nameVersion: '@fleet-service/cli/1.0.1' })),
      helpMemoFile('/d', 'create', ctx({ nodeVersion: 'v22.0.0' })),
    ])
      expect(other).not.toBe(base);
  });

  it('reads nothing when nothing was remembered', () => {
    dir = mkdtempSync(join(tmpdir(), 'fs-help-memo-'));
    expect(readHelpMemo(helpMemoFile(dir, 'create', ctx()))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});
