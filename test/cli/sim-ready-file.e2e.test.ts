// `fs sim --ready-file`: the ready signal a CI script waits for. Run under a wrapper process (as
// `npx … fs sim &` is, so `$!` is the wrapper), the file names the simulator's own pid: killing
// that pid stops the simulator cleanly and removes the file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, collect, fastEnv, parseJsonDoc, runCli, runJs } from './helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fs-sim-ready-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(cliIsBuilt())('fs sim --ready-file', () => {
  it('writes the endpoint and the simulator pid before the listening line; removes it on stop', async () => {
    const file = join(dir, 'sim.json');
    // sh forks node (a command follows it), like npm's wrapper does: the wrapper's pid is not the sim's
    const wrapper = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${runJs}" sim --json --ready-file "${file}"; echo done`],
      {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const done = collect(wrapper);
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      wrapper.stdout?.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('"listening"')) resolve();
      });
      wrapper.once('exit', () => reject(new Error(`sim exited before listening:\n${seen}`)));
    });
    const ready = JSON.parse(readFileSync(file, 'utf8')) as { endpoint: string; pid: number };
    expect(ready.pid).not.toBe(wrapper.pid);
    const machines = await runCli(['machines', '--json'], {
      env: fastEnv({ FLEETCTL_ENDPOINT: ready.endpoint }),
    });
    expect(parseJsonDoc(machines).ok).toBe(true);
    process.kill(ready.pid, 'SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/"stopped"[^\n]*\ndone\n$/);
    expect(existsSync(file)).toBe(false);
  });
});
