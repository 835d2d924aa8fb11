// The build-time help cache (dist/help-cache.json) can never go stale silently: for every cached
// command id and alias, and for each help form, the text bin/run.js serves from the cache equals
// what oclif itself renders for the same argv (FS_HELP_CACHE=0 sends bin/run.js to oclif).
// Where oclif's output would not be the plain form (FORCE_COLOR, OCLIF_COLUMNS), bin/run.js
// must not use the cache.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliRun, cliIsBuilt, repoRoot, runCli } from './helpers/run-cli.js';

const cacheFile = join(repoRoot, 'packages', 'cli', 'dist', 'help-cache.json');

/** Runs `fs ARGS` twice, from the cache and through oclif, in parallel. */
async function bothWays(args: string[], env: Record<string, string> = {}): Promise<[CliRun, CliRun]> {
  return Promise.all([runCli(args, { env }), runCli(args, { env: { ...env, FS_HELP_CACHE: '0' } })]);
}

describe.runIf(cliIsBuilt())('help served from the build-time cache', () => {
  const cache = cliIsBuilt()
    ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as { texts: Record<string, string> })
    : { texts: {} };
  const ids = Object.keys(cache.texts).filter((k) => k !== '');

  it('holds the root and every command id and alias oclif knows', () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'create',
        'destroy',
        'machines',
        'lm',
        'plan',
        'rollback',
        'sim',
        'status',
        'ls',
      ]),
    );
    expect(Object.keys(cache.texts)).toContain('');
  });

  it.each(ids.map((id) => [id]))(
    '`fs %s --help` equals what oclif renders',
    async (id) => {
      const [cached, oclif] = await bothWays([id, '--help']);
      expect(oclif.code).toBe(0);
      expect(oclif.stdout).toContain(`$ fs ${id}`);
      expect(cached).toEqual(oclif);
      expect(cached.stdout).toBe(cache.texts[id]);
    },
    30_000,
  );

  it.each([
    [[]],
    [['--help']],
    [['-h']],
    [['help']],
    [['--help', 'create']],
    [['-h', 'ls']],
    [['help', 'create']],
    [['create', '-h']],
    [['--no-color', '--help']], // a global flag first: normalised, then oclif's business
  ])(
    '`fs %j` equals what oclif renders',
    async (args) => {
      const [cached, oclif] = await bothWays(args);
      expect(oclif.code).toBe(0);
      expect(cached).toEqual(oclif);
    },
    30_000,
  );

  it('the root help names the running node, as oclif does', async () => {
    const run = await runCli(['--help'], { env: {} });
    expect(run.stdout).toContain(`linux-x64 node-${process.version}`);
  });

  it('an unknown command is left to oclif', async () => {
    const [cached, oclif] = await bothWays(['nosuch', '--help']);
    expect(oclif.code).toBe(2);
    expect(oclif.stderr).toMatch(/nosuch/);
    expect(cached).toEqual(oclif);
  }, 30_000);

  it('colours forced or another width: oclif renders, not the cache', async () => {
    const [colour] = await bothWays(['create', '--help'], { FORCE_COLOR: '1' });
    expect(colour.code).toBe(0);
    expect(colour.stdout).toContain('\u001b[');
    const [wide, wideOclif] = await bothWays(['create', '--help'], { OCLIF_COLUMNS: '150' });
    expect(wide).toEqual(wideOclif);
    expect(wide.stdout).not.toBe(cache.texts.create);
  }, 30_000);

  it('serves help without loading oclif', async () => {
    const debug = { NODE_DEBUG: 'module,esm' }; // node logs every module it loads to stderr
    const [cached, oclif] = await bothWays(['create', '--help'], debug);
    expect(cached.stdout).toBe(cache.texts.create);
    expect(cached.stderr).not.toMatch(/oclif-bundle|@oclif|oclif\+core/);
    expect(oclif.stderr).toMatch(/oclif-bundle\.cjs/);
  }, 30_000);
});
