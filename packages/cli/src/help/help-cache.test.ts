import { describe, expect, it } from 'vitest';
import {
  cachedHelp,
  type HelpCache,
  helpCacheKey,
  helpCacheUsable,
  ROOT_HELP_KEY,
  USER_AGENT_MARK,
  userAgent,
} from './help-cache.js';

const cache: HelpCache = {
  format: 1,
  width: 80,
  nameVersion: '@fleet-service/cli/1.2.3',
  texts: {
    [ROOT_HELP_KEY]: `fs: rolling updates\n\nVERSION\n  ${USER_AGENT_MARK}\n`,
    create: 'create help\n',
    ls: 'ls help\n',
  },
};
const has = (k: string) => Object.hasOwn(cache.texts, k);
const plain = {
  env: {},
  stdoutIsTTY: false,
  platform: () => 'linux',
  arch: 'x64',
  nodeVersion: 'v20.20.2',
};

describe('helpCacheKey', () => {
  it.each([
    [[], ROOT_HELP_KEY],
    [['--help'], ROOT_HELP_KEY],
    [['-h'], ROOT_HELP_KEY],
    [['help'], ROOT_HELP_KEY],
    [['help', '--help'], ROOT_HELP_KEY], // oclif: `help` is skipped as a subject
    [['--help', '-h'], ROOT_HELP_KEY],
    [['create', '--help'], 'create'],
    [['create', '-h'], 'create'],
    [['--help', 'create'], 'create'],
    [['-h', 'ls'], 'ls'],
    [['help', 'create'], 'create'],
  ] as Array<[string[], string]>)('%j → %j', (args, key) => {
    expect(helpCacheKey(args, has)).toBe(key);
  });

  it.each([
    [['create']], // runs the command
    [['create', 'help']], // `help` is create's argument here
    [['nosuch', '--help']], // oclif reports the unknown command
    [['create', 'web', '--help']], // more than one command word
    [['create', '--json', '--help']],
    [['--json', '--help']],
    [['--help', '--', 'create']],
    [['help', 'nosuch']],
    [['-x']],
  ])('%j goes to oclif', (args) => {
    expect(helpCacheKey(args, has)).toBeUndefined();
  });
});

describe('helpCacheUsable', () => {
  it('only when oclif would print the plain form', () => {
    expect(helpCacheUsable(cache, { env: {}, stdoutIsTTY: false })).toBe(true);
    expect(helpCacheUsable(cache, { env: { NO_COLOR: '1' }, stdoutIsTTY: false })).toBe(true);
    expect(helpCacheUsable(cache, { env: { OCLIF_COLUMNS: '80' }, stdoutIsTTY: false })).toBe(true);
    expect(helpCacheUsable(cache, { env: {}, stdoutIsTTY: true })).toBe(false);
    expect(helpCacheUsable(cache, { env: { FORCE_COLOR: '1' }, stdoutIsTTY: false })).toBe(false);
    expect(helpCacheUsable(cache, { env: { FORCE_COLOR: '0' }, stdoutIsTTY: false })).toBe(false);
    expect(helpCacheUsable(cache, { env: { OCLIF_COLUMNS: '120' }, stdoutIsTTY: false })).toBe(false);
    expect(helpCacheUsable(cache, { env: { DEBUG: '*' }, stdoutIsTTY: false })).toBe(false);
    expect(helpCacheUsable(cache, { env: { FS_HELP_CACHE: '0' }, stdoutIsTTY: false })).toBe(false);
  });
});

describe('cachedHelp', () => {
  it('fills in the user agent oclif would print', () => {
    expect(cachedHelp(cache, ['--help'], plain)).toBe(
      'fs: rolling updates\n\nVERSION\n  @fleet-service/cli/1.2.3 linux-x64 node-v20.20.2\n',
    );
    expect(userAgent('a/1', 'linux', 'ia32', 'v20.0.0')).toBe('a/1 linux-x86 node-v20.0.0');
  });

  it('serves command help as stored, without asking for the platform', () => {
    const platform = () => {
      throw new Error('not needed');
    };
    expect(cachedHelp(cache, ['create', '--help'], { ...plain, platform })).toBe('create help\n');
  });

  it('leaves the root help to oclif when the platform is uncertain (WSL) or the agent would wrap', () => {
    expect(cachedHelp(cache, ['--help'], { ...plain, platform: () => undefined })).toBeUndefined();
    expect(cachedHelp(cache, ['--help'], { ...plain, nodeVersion: `v${'9'.repeat(40)}` })).toBeUndefined();
  });

  it('answers nothing for other requests, other outputs, other formats', () => {
    expect(cachedHelp(cache, ['create'], plain)).toBeUndefined();
    expect(cachedHelp(cache, ['plan', '--help'], plain)).toBeUndefined();
    expect(cachedHelp(cache, ['--help'], { ...plain, stdoutIsTTY: true })).toBeUndefined();
    expect(cachedHelp({ ...cache, format: 2 as 1 }, ['--help'], plain)).toBeUndefined();
  });
});
