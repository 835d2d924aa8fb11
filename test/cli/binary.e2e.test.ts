// The single binary: built with `build:binary` (Node SEA), copied to an empty directory (no
// node_modules, no package.json nearby) and run against the simulator. Slow (~10–60 s):
// set FS_SKIP_BINARY=1 to skip.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, repoRoot, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

const skip = process.env.FS_SKIP_BINARY === '1' || process.platform !== 'linux';

describe.skipIf(skip)('the single binary', () => {
  let t: TestSim;
  let dir: string;
  let fs: string;

  beforeAll(async () => {
    const cli = join(repoRoot, 'packages', 'cli');
    execFileSync(process.execPath, [join(cli, 'scripts', 'build-binary.mjs')], { cwd: cli, stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'fs-binary-'));
    fs = join(dir, 'fs');
    copyFileSync(join(cli, 'dist-bin', 'fs'), fs);
    t = await startTestSim('unix');
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints help without node_modules nearby', async () => {
    const run = await runCli(['--help'], { executable: fs, env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/create/);
    expect(run.stderr).not.toMatch(/warning/i);
  });

  it('serves help from the embedded cache exactly as its oclif renders it', async () => {
    for (const args of [['--help'], ['create', '--help'], ['help', 'ls'], ['-h', 'sim']]) {
      const [cached, oclif] = await Promise.all([
        runCli(args, { executable: fs, env: {} }),
        runCli(args, { executable: fs, env: { FS_HELP_CACHE: '0' } }),
      ]);
      expect(oclif.code).toBe(0);
      expect(cached).toEqual(oclif);
    }
    // the same texts as the npm install's (built from the same sources)
    if (!cliIsBuilt()) return;
    const npm = await runCli(['create', '--help'], { env: {} });
    const bin = await runCli(['create', '--help'], { executable: fs, env: {} });
    expect(bin.stdout).toBe(npm.stdout);
  }, 60_000);

  it('takes any flag before the command and answers an unknown command in fs style (exit 2)', async () => {
    const unknown = await runCli(['--count', '2', 'deploy', 'web'], {
      executable: fs,
      env: { NO_COLOR: '1' },
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^✖ unknown command "deploy"\nhint: did you mean create\?/);
    const help = await runCli(['--count', '2', 'create', '--help'], { executable: fs, env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/\$ fs create SERVICE UNIT_FILE/);
  });

  it('runs create against the simulator', async () => {
    const file = t.unitFile('web.service', webUnit('v1'));
    const run = await runCli(
      ['--fleetctl-endpoint', t.endpoint, 'create', 'web', file, '--count', '2', '--json'],
      {
        executable: fs,
        env: fastEnv(),
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseJsonDoc(run)).toMatchObject({
      ok: true,
      result: { outcome: 'succeeded', added: ['web@1.service', 'web@2.service'] },
    });
    const hash = unitHash(parseUnitFile(webUnit('v1')));
    const instances = t.sim.cluster.units().filter((u) => /^web@\d+\.service$/.test(u.name));
    expect(instances.map((u) => u.hash)).toEqual([hash, hash]);
  });
});
