// The packages as a user gets them: published with the real publish command (`pnpm -r publish`,
// as .github/workflows/release.yml does) to a real registry (Verdaccio on loopback), then
// installed in empty directories with npm pointed at it, as a CI runner or a new project would:
//   - the CLI installed globally: `fs --version`, and `fs sim` for the steps below
//   - `@fleet-service/rollout` installed alone: the root README's library example type-checked
//     strictly (skipLibCheck false, with the @types/node the README asks for) and run
//   - the root README's CI recipes (GitHub Actions, GitLab CI, the simulator script) run exactly
//     as written, with only the registry (and the step's FLEETCTL_ENDPOINT) set
// Needs the packages built (`npm test` builds first). Third-party dependencies come through
// Verdaccio's uplink (see verdaccio.ts). Outside CI, FS_SKIP_REGISTRY=1 skips it, and a Verdaccio
// that cannot start skips it; in CI (CI=true) both fail.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockIn } from '../helpers/markdown-blocks.js';
import { tscPath, writeStrictTsconfig } from '../helpers/strict-consumer.js';
import { ok, registryEnv, run } from './consumer.js';
import { type Registry, startVerdaccio } from './verdaccio.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const readme = join(repoRoot, 'README.md');
const inCI = process.env.CI === 'true' || process.env.CI === '1';
const cliVersion = JSON.parse(
  readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'),
).version;
const unit =
  '[Unit]\nDescription=web\n\n[Service]\nExecStart=/usr/bin/sleep infinity\nEnvironment=VERSION=1\n';

let dir: string;
let registry: Registry | undefined;
let unavailable = '';
let sim: { child: ChildProcess; endpoint: string } | undefined;

beforeAll(async () => {
  for (const p of ['fleet-client/dist/index.js', 'rollout/dist/index.js', 'cli/dist/oclif-bundle.cjs']) {
    if (!existsSync(join(repoRoot, 'packages', p))) throw new Error(`packages/${p} missing: build first`);
  }
  dir = mkdtempSync(join(tmpdir(), 'fs-registry-'));
  if (process.env.FS_SKIP_REGISTRY === '1' && !inCI) {
    unavailable = 'FS_SKIP_REGISTRY=1';
    return;
  }
  try {
    // third-party packages cached between runs (see verdaccio.ts); ours never are
    const storage = join(repoRoot, 'node_modules', '.cache', 'fs-registry-storage');
    registry = await startVerdaccio(mkdirp(join(dir, 'verdaccio')), storage);
  } catch (error) {
    if (inCI) throw error;
    unavailable = String(error);
    return;
  }
  const host = new URL(registry.url).host;
  const publisher = join(dir, 'publisher');
  const env = registryEnv(registry.url, publisher); // writes its .npmrc: add the token after
  writeFileSync(
    env.npm_config_userconfig ?? '',
    `registry=${registry.url}\n//${host}/:_authToken=${registry.token}\n`,
  );
  ok(
    await run(
      'npx',
      ['-y', 'pnpm@10.34.8', '-r', 'publish', '--no-git-checks', '--registry', registry.url],
      repoRoot,
      env,
    ),
    'pnpm -r publish',
  );
}, 180_000);

afterAll(async () => {
  if (sim) await stopSim(sim.child);
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packages through a real registry', { timeout: 240_000 }, () => {
  it('are all published, with dependencies on versions instead of workspace:', async (ctx) => {
    if (!registry) return ctx.skip(unavailable);
    for (const name of ['fleet-client', 'fleet-sim', 'rollout', 'notify', 'apply', 'cli']) {
      const doc = (await (await fetch(new URL(`@fleet-service%2f${name}`, registry.url))).json()) as {
        versions: Record<string, { dependencies?: Record<string, string>; exports: unknown }>;
      };
      const published = Object.values(doc.versions)[0];
      expect(JSON.stringify(published?.dependencies ?? {})).not.toContain('workspace:');
      expect(JSON.stringify(published?.exports)).not.toContain('@fleet-service/source');
    }
  });

  it('installs the CLI globally, with no dependency beyond fleet-client’s and its code cache; fs --version and fs sim run', async (ctx) => {
    if (!registry) return ctx.skip(unavailable);
    const prefix = join(dir, 'global');
    const env = registryEnv(registry.url, join(dir, 'home-global'));
    ok(
      await run('npm', ['install', '-g', '--prefix', prefix, '@fleet-service/cli'], dir, env),
      'npm install -g',
    );
    const fs = join(prefix, 'bin', 'fs');
    const version = ok(
      await run(fs, ['--version'], dir, { ...env, NODE_DEBUG: 'fs-bundle' }),
      'fs --version',
    );
    expect(version.stdout).toContain(`@fleet-service/cli/${cliVersion}`);
    // the bundle's code cache is published and taken (built by this same node)
    expect(version.stderr).toMatch(/FS-BUNDLE \d+: code cache accepted/);
    const installed = join(prefix, 'lib', 'node_modules', '@fleet-service', 'cli', 'node_modules');
    expect(existsSync(join(installed, '@oclif'))).toBe(false); // bundled, not installed
    sim = await startSim(fs, env);
  });

  it('installs @fleet-service/rollout alone; the README library example type-checks strictly and runs', async (ctx) => {
    if (!registry || !sim) return ctx.skip(unavailable || 'no simulator (the global install failed)');
    const app = mkdirp(join(dir, 'app'));
    const env = registryEnv(registry.url, join(dir, 'home-app'));
    writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
    ok(
      await run('npm', ['install', '@fleet-service/rollout'], app, env),
      'npm install @fleet-service/rollout',
    );
    expect(existsSync(join(app, 'node_modules', '@fleet-service', 'fleet-client', 'package.json'))).toBe(
      true,
    );
    expect(existsSync(join(app, 'node_modules', '@fleet-service', 'cli'))).toBe(false);
    ok(await run('npm', ['install', '-D', '@types/node@20'], app, env), 'npm install -D @types/node');

    const example = blockIn(readme, 'As a library', 'ts').code.replaceAll(
      'unix:///var/run/fleet.sock',
      sim.endpoint,
    );
    writeFileSync(join(app, 'example.ts'), example);
    writeFileSync(join(app, 'web.service'), unit);
    writeStrictTsconfig(app, ['example.ts']);
    ok(await run(process.execPath, [tscPath, '-p', 'tsconfig.json'], app, env), 'tsc (strict consumer)');
    const first = ok(await run(process.execPath, ['out/example.js'], app, env), 'the library example');
    expect(first.stdout).toMatch(/^succeeded /m);
    // the published exports carry no in-repo source condition: the same with it turned on
    const again = await run(
      process.execPath,
      ['--conditions=@fleet-service/source', 'out/example.js'],
      app,
      env,
    );
    expect(again.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    expect(again.code).toBe(0);
  });

  it('runs the README’s GitHub Actions and GitLab CI steps as written', async (ctx) => {
    if (!registry || !sim) return ctx.skip(unavailable || 'no simulator (the global install failed)');
    const script = yamlRunScript(blockIn(readme, 'In a CI pipeline', 'yaml', 'github-actions').code);
    const gitlab = yamlScriptItems(blockIn(readme, 'In a CI pipeline', 'yaml', 'gitlab-ci').code);
    const runner = registryEnv(registry.url, join(dir, 'home-runner'));
    const env = { ...runner, FLEETCTL_ENDPOINT: sim.endpoint }; // the step's env:, pointed at the test's cluster
    expect(script).not.toMatch(/\bnpx fs\b/);

    const gh = workspaceWithUnit('gh');
    const step = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], gh, env);
    expect(step.code, step.stderr).toBe(0);
    expectNdjsonSuccess(join(gh, 'rollout.ndjson'));

    const gl = workspaceWithUnit('gl');
    for (const line of gitlab) {
      const r = await run('sh', ['-c', line], gl, env);
      expect(r.code, r.stderr).toBe(0);
    }
    expectNdjsonSuccess(join(gl, 'rollout.ndjson'));
  });

  it('runs the README’s simulator script as written: ready file, rollout, the simulator stopped by its pid', async (ctx) => {
    if (!registry) return ctx.skip(unavailable);
    const script = blockIn(readme, 'In a CI pipeline', 'sh', 'ci-sim').code;
    const ws = workspaceWithUnit('sim');
    const env = registryEnv(registry.url, join(dir, 'home-runner'));
    const r = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], ws, env);
    expect(r.code, r.stderr).toBe(0);
    expectNdjsonSuccess(join(ws, 'rollout.ndjson'));
    expect(existsSync(join(ws, 'sim.json'))).toBe(false); // removed by the simulator as it stopped
  });
});

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

function workspaceWithUnit(name: string): string {
  const ws = mkdirp(join(dir, `ci-${name}`, 'deploy'));
  writeFileSync(join(ws, 'web.service'), unit);
  return join(dir, `ci-${name}`);
}

function expectNdjsonSuccess(file: string): void {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const events = lines.map((l) => JSON.parse(l) as { type: string; ok?: boolean; exitCode?: number });
  expect(events.length).toBeGreaterThan(1);
  expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, exitCode: 0 });
}

/** The `run: |` script of a GitHub Actions step, dedented. */
function yamlRunScript(yaml: string): string {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s*run:\s*\|\s*$/.test(l));
  if (start === -1) throw new Error(`no "run: |" in:\n${yaml}`);
  const body = lines.slice(start + 1).filter((l) => l.trim() !== '');
  const indent = Math.min(...body.map((l) => /^\s*/.exec(l)?.[0].length ?? 0));
  return `${body.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** The `script:` items of a GitLab CI job. */
function yamlScriptItems(yaml: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => /^\s*script:\s*$/.test(l));
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (!item) break;
    items.push(item[1] ?? '');
  }
  if (items.length === 0) throw new Error(`no "script:" items in:\n${yaml}`);
  return items;
}

async function startSim(
  fs: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(fs, ['sim', '--json', '--speed', '50'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen += d;
      const line = seen.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.once('exit', (code) => reject(new Error(`fs sim exited (${code}) before listening:\n${seen}`)));
  });
  return { child, endpoint };
}

function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
