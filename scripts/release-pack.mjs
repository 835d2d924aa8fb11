#!/usr/bin/env node
// `node scripts/release-pack.mjs DIR`: `pnpm pack` of every publishable package into DIR, as a
// registry would receive them (publishConfig applied, `workspace:` ranges replaced by versions).
// Needs a build first. Also a module: packPackages(dir) → [{ name, version, dir, tarball }].
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const PNPM = ['-y', 'pnpm@10.34.8'];

/** The publishable workspace packages (packages/*, not private), dependencies first. */
export function publishablePackages() {
  const order = ['fleet-client', 'fleet-sim', 'rollout', 'notify', 'apply', 'cli'];
  const dirs = readdirSync(join(repoRoot, 'packages')).sort((a, b) => rank(a) - rank(b));
  return dirs
    .map((name) => {
      const dir = join(repoRoot, 'packages', name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: pkg.name, version: pkg.version, private: pkg.private === true, dir };
    })
    .filter((p) => !p.private);
  function rank(name) {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  }
}

/** Packs every publishable package into `dest`; returns each with its tarball's path. */
export function packPackages(dest) {
  mkdirSync(dest, { recursive: true });
  return publishablePackages().map((p) => {
    const out = execFileSync('npx', [...PNPM, 'pack', '--pack-destination', dest], {
      cwd: p.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = out.trim().split('\n').pop();
    if (!tarball?.endsWith('.tgz')) throw new Error(`pnpm pack in ${p.dir} printed no tarball: ${out}`);
    return { ...p, tarball: resolve(dest, tarball) };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dest = resolve(process.argv[2] ?? 'release');
  for (const p of packPackages(dest)) process.stdout.write(`${p.tarball}\n`);
}
