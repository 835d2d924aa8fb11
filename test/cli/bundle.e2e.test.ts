// dist/oclif-bundle.cjs and its V8 code cache, as the build leaves them: bin/run.js gets the cache
// accepted (so it really skips compiling the bundle), and the bundle serves every command.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliIsBuilt, repoRoot, runCli } from './helpers/run-cli.js';

const dist = join(repoRoot, 'packages', 'cli', 'dist');

describe.runIf(cliIsBuilt())('the oclif bundle of bin/run.js', () => {
  it('has a code cache that bin/run.js, under its own V8 flags, gets accepted', async () => {
    // V8 rejects a cache made under other flags: the build must make it under FS_V8_FLAGS
    const run = await runCli(['--help'], { env: { FS_HELP_CACHE: '0', NODE_DEBUG: 'fs-bundle' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/FS-BUNDLE \d+: code cache accepted/);
  });

  it('has a code cache this node rejects under other V8 flags (so the check above can fail)', () => {
    const loader = pathToFileURL(join(dist, 'bundle-loader.js')).href;
    const script = `
      import { readFileSync } from 'node:fs';
      const { compileBundle } = await import(${JSON.stringify(loader)});
      const s = compileBundle(${JSON.stringify(join(dist, 'oclif-bundle.cjs'))},
        readFileSync(${JSON.stringify(join(dist, 'oclif-bundle.cache'))}));
      process.stdout.write(String(s.cachedDataRejected));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out).toBe('true'); // a plain node, without FS_V8_FLAGS
  });

  it('has no import() of a node builtin (under the code cache such an import never settles)', () => {
    const text = readFileSync(join(dist, 'oclif-bundle.cjs'), 'utf8');
    expect(text.match(/\bimport\(\s*["'`]node:[^"'`]+["'`]\s*\)/g) ?? []).toEqual([]);
  });

  it('knows every command (help through oclif lists them all)', async () => {
    const run = await runCli(['--help'], { env: { FS_HELP_CACHE: '0' } });
    expect(run.code).toBe(0);
    for (const id of ['create', 'destroy', 'help', 'machines', 'plan', 'rollback', 'sim', 'status']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${id} `, 'm'));
    }
  });
});
