#!/usr/bin/env node
// `npm run release`: builds everything and writes the release artefacts into release/:
//   - every package's tarball (`pnpm pack`: what `pnpm publish` sends to the registry)
//   - the single binary, fs-<version>-<platform>-<arch> (Node SEA, packages/cli `build:binary`)
//   - SHA256SUMS over all of them (`sha256sum -c SHA256SUMS` checks a download)
// FS_SKIP_BINARY=1 leaves the binary out (~90 MB; a few seconds to build here).
// FS_RELEASE_NO_BUILD=1 uses the packages as built; FS_RELEASE_DIR=DIR writes there instead.
// .github/workflows/release.yml runs this on a version tag, then publishes the tarballs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PNPM, packPackages, publishablePackages, repoRoot } from './release-pack.mjs';

const out = resolve(process.env.FS_RELEASE_DIR || join(repoRoot, 'release'));
const log = (m) => process.stderr.write(`release: ${m}\n`);
const run = (args, cwd = repoRoot) => execFileSync('npx', [...PNPM, ...args], { cwd, stdio: 'inherit' });

rmSync(out, { recursive: true, force: true });
if (process.env.FS_RELEASE_NO_BUILD !== '1') run(['run', 'build']);
const files = packPackages(out).map((p) => p.tarball);

if (process.env.FS_SKIP_BINARY === '1') {
  log('FS_SKIP_BINARY=1: no single binary');
} else {
  const cli = publishablePackages().find((p) => p.name === '@fleet-service/cli');
  if (!cli) throw new Error('no @fleet-service/cli package under packages/');
  run(['run', 'build:binary'], cli.dir);
  const binary = join(out, binaryName(cli.version));
  copyFileSync(join(cli.dir, 'dist-bin', 'fs'), binary);
  files.push(binary);
}

const sums = files.map(
  (f) => `${createHash('sha256').update(readFileSync(f)).digest('hex')}  ${basename(f)}\n`,
);
writeFileSync(join(out, 'SHA256SUMS'), sums.join(''));
log(`wrote ${files.length} artefacts and SHA256SUMS to ${out}`);

/** `fs-0.1.0-linux-x64`: the name the README's download recipe uses. */
export function binaryName(version) {
  return `fs-${version}-${platform()}-${arch()}`;
}
