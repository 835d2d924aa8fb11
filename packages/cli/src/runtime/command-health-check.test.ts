import { describe, expect, it } from 'vitest';
import { commandHealthCheck, commandHealthChecks, healthCmdEnv, tail } from './command-health-check.js';

const machine = { id: 'abc123', primaryIP: '10.0.0.2', metadata: {} };
const ctx = (signal = new AbortController().signal) => ({ unit: 'web@2.service', index: 2, machine, signal });

async function run(command: string, opts: { timeoutMs?: number } = {}, signal?: AbortSignal) {
  const check = commandHealthCheck(command, { ...opts, baseEnv: { PATH: process.env.PATH } });
  if (check.kind !== 'callback') throw new Error('not a callback check');
  return check.check(ctx(signal));
}

describe('commandHealthCheck', () => {
  it('exit 0 is healthy; the instance is in the environment', async () => {
    await expect(
      run(
        'test "$FS_INSTANCE_INDEX $FS_UNIT $FS_SERVICE $FS_MACHINE_ID $FS_MACHINE_IP" = "2 web@2.service web abc123 10.0.0.2"',
      ),
    ).resolves.toBe(true);
  });

  it('another exit fails with the command, unit, index and the end of its stderr', async () => {
    await expect(run('echo starting >&2; echo "port 8080 refused" >&2; exit 3')).rejects.toThrow(
      'command "echo starting >&2; echo "port 8080 refused" >&2; exit 3" exited with 3 for web@2.service (index 2); stderr: starting\nport 8080 refused',
    );
  });

  it('a command past its timeout is killed with its children and fails', async () => {
    await expect(run('sleep 30 & sleep 30', { timeoutMs: 50 })).rejects.toThrow(
      /^command "sleep 30 & sleep 30" did not finish within 50ms \(killed\) for web@2\.service \(index 2\)$/,
    );
  });

  it('an abort stops the command and rejects with the abort reason', async () => {
    const ac = new AbortController();
    const pending = run('sleep 30', {}, ac.signal);
    ac.abort(new Error('interrupted'));
    await expect(pending).rejects.toThrow('interrupted');
  });
});

describe('commandHealthChecks', () => {
  it('one callback check per --health-cmd; an empty command is a usage error', () => {
    expect(commandHealthChecks({ 'health-cmd': ['true', 'exit 0'] }).map((c) => c.kind)).toEqual([
      'callback',
      'callback',
    ]);
    expect(commandHealthChecks({})).toEqual([]);
    expect(() => commandHealthChecks({ 'health-cmd': [' '] })).toThrow(/--health-cmd: empty command/);
  });
});

describe('helpers', () => {
  it('healthCmdEnv leaves machine fields empty when the machine is unknown', () => {
    expect(healthCmdEnv({ unit: 'api@10.service', index: 10 })).toEqual({
      FS_INSTANCE_INDEX: '10',
      FS_UNIT: 'api@10.service',
      FS_SERVICE: 'api',
      FS_MACHINE_ID: '',
      FS_MACHINE_IP: '',
    });
  });

  it('tail keeps the end', () => {
    expect(tail('  short \n')).toBe('short');
    expect(tail('abcdef', 3)).toBe('…def');
  });
});
