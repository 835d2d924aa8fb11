// Live progress in a terminal: the built `fs` under a pseudo-terminal (util-linux `script`)
// redraws one line per instance with listr2. Skipped where `script` is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, collect, fastEnv, runJs } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal escape sequences
const strip = (s: string) => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replaceAll('\r', '');

describe.runIf(cliIsBuilt() && hasScript && process.platform === 'linux')('fs create in a terminal', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim('unix');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows one live line per instance, its phase and machine, then the summary', async () => {
    const file = t.unitFile('web.service', webUnit('v1'));
    const cmd = `stty cols 120 rows 40; ${quote(process.execPath)} ${quote(runJs)} create web ${quote(file)} --count 2`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], {
      env: {
        ...process.env,
        ...fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, FS_MIN_HEALTHY: '300ms' }),
        TERM: 'xterm',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = await collect(child);
    expect(run.code).toBe(0);
    const raw = run.stdout;
    expect(raw).toContain('\u001b['); // redrawn in place
    const text = strip(raw);
    expect(text).toMatch(/web: rolling out · batch \d+ · \d+s/);
    expect(text).toMatch(/web@\d\.service\s+(pending|starting|launched)\s+batch/); // an earlier frame
    expect(text).toMatch(/✔ web@1\.service\s+healthy\s+batch \d+ on [0-9a-f]{8}/);
    expect(text).toMatch(/✔ web@2\.service\s+healthy/);
    expect(text).toMatch(/✔ web: succeeded in .* — 0 replaced, 0 unchanged, 2 added, 0 removed/);
  });
});
