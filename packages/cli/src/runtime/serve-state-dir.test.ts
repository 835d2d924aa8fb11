import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateDirOf } from './serve-run.js';

describe('fs serve --state-dir', () => {
  it('is on disk by default (a 202 is a promise): $XDG_STATE_HOME/fs/serve', () => {
    expect(stateDirOf(undefined, { XDG_STATE_HOME: '/var/state' })).toEqual({
      stateDir: join('/var/state', 'fs', 'serve'),
    });
  });
  it('falls back to ~/.local/state/fs/serve', () => {
    expect(stateDirOf(undefined, { HOME: '/home/ann' }).stateDir).toMatch(/\.local\/state\/fs\/serve$/);
  });
  it('takes the flag, and :memory: keeps the store in memory', () => {
    expect(stateDirOf('/srv/fs', {})).toEqual({ stateDir: '/srv/fs' });
    expect(stateDirOf(':memory:', {})).toEqual({});
  });
});
