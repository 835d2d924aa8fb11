import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isHolderAlive } from './lock-holder.js';

/** The pid of a real process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('isHolderAlive (defect 7)', () => {
  it('is false for a holder on this host whose process is gone', async () => {
    expect(isHolderAlive({ host: hostname(), pid: await deadPid() })).toBe(false);
  });

  it('is true for a live process on this host, including this one', () => {
    expect(isHolderAlive({ host: hostname(), pid: process.pid })).toBe(true);
    expect(isHolderAlive({ host: hostname(), pid: process.ppid })).toBe(true);
  });

  it('is true for a holder on another host, even with a pid that does not exist here', async () => {
    expect(isHolderAlive({ host: `not-${hostname()}`, pid: await deadPid() })).toBe(true);
  });

  it('is true when the pid is unknown, or the probe cannot tell (EPERM)', () => {
    expect(isHolderAlive({ host: hostname(), pid: 0 })).toBe(true);
    expect(isHolderAlive({ host: hostname(), pid: Number.NaN })).toBe(true);
    const eperm = Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    const local = {
      host: 'h',
      pid: 1,
      probe: () => {
        throw eperm;
      },
    };
    expect(isHolderAlive({ host: 'h', pid: 99 }, local)).toBe(true);
  });
});
