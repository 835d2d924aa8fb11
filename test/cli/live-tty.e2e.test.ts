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
/** listr2's spinner glyphs (braille). */
const SPIN = '[\u2800-\u28ff]';

/** The redrawn frames of the live view: each starts at the header line (`❯|✔|… web: …`). */
function frames(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (/^\S+ web: /.test(line)) out.push([line]);
    else if (line.startsWith('  ') && out.length > 0) out.at(-1)?.push(line);
  }
  return out;
}

const row = (frame: string[], unit: string) => frame.find((l) => l.includes(` ${unit} `)) ?? '';
const running = (frame: string[]) => frame[0]?.startsWith('❯ web: rolling out') === true;

/** No frame shows a pending row spinning, nor a healthy one still spinning. */
function expectNoFalseSpinner(shown: string[][]): void {
  for (const f of shown)
    for (const line of f) {
      expect(line).not.toMatch(new RegExp(`${SPIN} web@\\d\\.service\\s+(pending|healthy)`));
    }
}

describe.runIf(cliIsBuilt() && hasScript && process.platform === 'linux')('fs create in a terminal', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim('unix');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs `fs ARGS` under a pseudo-terminal 120 columns wide; returns its output without escapes. */
  async function inTerminal(args: string): Promise<{ raw: string; text: string; shown: string[][] }> {
    const cmd = `stty cols 120 rows 40; ${quote(process.execPath)} ${quote(runJs)} ${args}`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], {
      env: {
        ...process.env,
        ...fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, FS_MIN_HEALTHY: '300ms' }),
        TERM: 'xterm',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run = await collect(child, 45_000); // the machine may be busy; the frames are what is tested
    expect(run.code, run.stdout).toBe(0);
    const text = strip(run.stdout);
    return { raw: run.stdout, text, shown: frames(text) };
  }

  it('shows one live line per instance, its phase and machine, then the summary', {
    timeout: 60_000,
  }, async () => {
    const file = t.unitFile('web.service', webUnit('v1'));
    const { raw, text, shown } = await inTerminal(`create web ${quote(file)} --count 2`);
    expect(raw).toContain('\u001b['); // redrawn in place
    expect(text).toMatch(/web: rolling out · batch \d+ · \d+s/);
    expect(text).toMatch(/web@\d\.service\s+(pending|starting|launched)\s+batch/); // an earlier frame
    expect(text).toMatch(/✔ web@1\.service\s+healthy\s+batch \d+ on [0-9a-f]{8}/);
    expect(text).toMatch(/✔ web@2\.service\s+healthy/);
    expect(text).toMatch(/✔ web: succeeded in .* — 0 replaced, 0 unchanged, 2 added, 0 removed/);
    // before their step starts (the template goes first) the rows are idle: ◼, no spinner
    expect(
      shown.some((f) => running(f) && /^\s*◼ web@1\.service\s+pending/.test(row(f, 'web@1.service'))),
    ).toBe(true);
    expectNoFalseSpinner(shown);
    // the final frame: the header says how it ended, both rows done
    const last = shown.filter((f) => /^. web: .* · batch /.test(f[0] ?? '')).at(-1) ?? [];
    expect(last[0]).toMatch(/^✔ web: succeeded · batch \d+ · \d+s$/);
    expect(row(last, 'web@1.service')).toMatch(/^\s*✔ web@1\.service\s+healthy/);
    expect(row(last, 'web@2.service')).toMatch(/^\s*✔ web@2\.service\s+healthy/);
  });

  it('a changed version: each row is ✔ as soon as its instance is healthy, the next one idle until its batch', {
    timeout: 60_000,
  }, async () => {
    const file = t.unitFile('web.service', webUnit('v2'));
    // web@1 and web@2 are replaced one batch after the other (max-unavailable 1)
    const { text, shown } = await inTerminal(`create web ${quote(file)} --count 2`);
    expect(text).toMatch(/✔ web: succeeded in .* — 2 replaced, 0 unchanged, 0 added, 0 removed/);
    // while web@1 is replaced, web@2 waits for its batch: ◼ pending, no spinner
    expect(
      shown.some(
        (f) =>
          running(f) &&
          new RegExp(`^\\s*${SPIN} web@1\\.service`).test(row(f, 'web@1.service')) &&
          /^\s*◼ web@2\.service\s+pending/.test(row(f, 'web@2.service')),
      ),
      'a frame with web@1 worked on and web@2 idle',
    ).toBe(true);
    // web@1 is ✔ as soon as it is healthy: in a frame where the rollout still runs and web@2 is not done
    const doneEarly = shown.find(
      (f) =>
        running(f) &&
        /^\s*✔ web@1\.service\s+healthy/.test(row(f, 'web@1.service')) &&
        !row(f, 'web@2.service').includes('✔'),
    );
    expect(doneEarly, 'a frame with web@1 done while the rollout runs').toBeDefined();
    expectNoFalseSpinner(shown);
    const last = shown.filter((f) => /^. web: .* · batch /.test(f[0] ?? '')).at(-1) ?? [];
    expect(last[0]).toMatch(/^✔ web: succeeded/);
    expect(row(last, 'web@2.service')).toMatch(/^\s*✔ web@2\.service\s+healthy/);
  });
});
