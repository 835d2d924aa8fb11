// Help in a terminal (issue 14): bin/run.js in a pseudo-terminal (`script`) prints exactly what
// oclif renders for that width and colour setting, and the second time serves it from the memo
// (src/help/help-memo.ts) without loading oclif; another width is another text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, runJs } from './helpers/run-cli.js';

const hasScript = (() => {
  try {
    execFileSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript && process.env.CI === 'true')
  throw new Error('`script` (util-linux / bsdutils) is needed in CI');

const memo = mkdtempSync(join(tmpdir(), 'fs-help-tty-'));
afterAll(() => rmSync(memo, { recursive: true, force: true }));

/** `fs ARGS` in a pty `cols` wide; its output as the terminal got it. */
function inTerminal(args: string[], cols: number, env: Record<string, string> = {}): string {
  const cmd = `stty cols ${cols}; ${[process.execPath, runJs, ...args].map((a) => `'${a}'`).join(' ')}`;
  return execFileSync('script', ['-qec', cmd, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', FS_HELP_CACHE_DIR: memo, ...env },
    encoding: 'utf8',
  });
}

describe.runIf(cliIsBuilt() && hasScript)('help in a terminal', () => {
  it('is what oclif renders, remembered for the next request of the same width', () => {
    const oclif = inTerminal(['create', '--help'], 100, { FS_HELP_CACHE: '0' });
    expect(oclif).toContain('$ fs create');
    expect(readdirSync(memo)).toEqual([]);
    const first = inTerminal(['create', '--help'], 100);
    expect(first).toBe(oclif);
    expect(readdirSync(memo)).toHaveLength(1);
    const second = inTerminal(['create', '--help'], 100);
    expect(second).toBe(oclif);
    expect(readdirSync(memo)).toHaveLength(1);
    // another width: oclif wraps differently, and that is remembered apart
    const narrow = inTerminal(['create', '--help'], 60);
    expect(narrow).not.toBe(oclif);
    expect(narrow).toBe(inTerminal(['create', '--help'], 60, { FS_HELP_CACHE: '0' }));
    expect(readdirSync(memo)).toHaveLength(2);
  }, 60_000);

  it('a request oclif answers with an error is not remembered', () => {
    const before = readdirSync(memo).length;
    expect(() => inTerminal(['create', '--bogus'], 100)).toThrow();
    expect(readdirSync(memo)).toHaveLength(before);
  }, 30_000);
});
