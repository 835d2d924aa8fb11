// Defect 12: `npm run build:binary` on a fresh clone failed with "Cannot find module 'esbuild'".
// The root script installs (frozen lockfile, pinned pnpm) and builds before the binary, as
// `npm run demo` does; the build script alone, without its dependencies, says what to run.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/run-cli.js';

const rootPkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  packageManager: string;
  scripts: Record<string, string>;
};
const dir = mkdtempSync(join(tmpdir(), 'fs-build-binary-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run build:binary', () => {
  it('installs with the frozen lockfile and the pinned pnpm, and builds, before building the binary', () => {
    const steps = rootPkg.scripts['build:binary']!.split('&&').map((s) => s.trim());
    const pnpm = `npx -y ${rootPkg.packageManager}`;
    expect(steps).toEqual([
      `${pnpm} install --frozen-lockfile`,
      `${pnpm} run build`,
      `${pnpm} --filter @fleet-service/cli run build:binary`,
    ]);
    // the same first two steps as the demo's
    expect(rootPkg.scripts.demo!.startsWith(`${steps[0]} && ${steps[1]} && `)).toBe(true);
  });

  it('without its dependencies installed, the build script says what to run (no stack trace)', () => {
    // a copy of the package's scripts with no node_modules anywhere above it
    const pkg = join(dir, 'cli');
    mkdirSync(join(pkg, 'scripts'), { recursive: true });
    const scripts = join(repoRoot, 'packages', 'cli', 'scripts');
    for (const file of readdirSync(scripts)) copyFileSync(join(scripts, file), join(pkg, 'scripts', file));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'copy', type: 'module' }));
    const run = spawnSync(process.execPath, [join(pkg, 'scripts', 'build-binary.mjs')], {
      cwd: pkg,
      encoding: 'utf8',
      env: { PATH: process.env.PATH }, // no NODE_PATH: nothing resolves but what is installed
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^build-binary: esbuild is not installed/m);
    expect(run.stderr).toMatch(/npm run build:binary/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(pkg, 'dist-bin'))).toBe(false);
  });
});
