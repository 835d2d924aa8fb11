#!/usr/bin/env node
// Build step: dist/fast-path.js (what bin/run.js loads first, one file) and dist/oclif-bundle.cjs, oclif and every command in one CommonJS file (the same code
// the single binary runs, src/oclif-bundle.ts). bin/run.js loads it for everything the help
// cache does not answer: one file to read instead of hundreds of modules to resolve. The
// libraries only some commands use are split out to dist/vendor/ (scripts/vendor-split.mjs).
// Then dist/oclif-bundle.cache, its V8 code cache (src/bundle-loader.ts): a child process loads
// the bundle, renders a command's help and fails on a bad flag through oclif (so those functions
// are compiled into the cache), and writes the cache as it exits.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleOptions } from './esbuild-options.mjs';
import { buildVendors, vendorSplit } from './vendor-split.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'oclif-bundle.cjs');
const cache = join(root, 'dist', 'oclif-bundle.cache');

if (process.argv[2] === '--make-cache') {
  // under bin/run.js's V8 flags: V8 rejects a code cache made under other flags
  const { applyV8Flags } = await import(pathToFileURL(join(root, 'dist', 'v8-flags.js')).href);
  applyV8Flags();
  const { writeBundleCacheOnExit } = await import(pathToFileURL(join(root, 'dist', 'bundle-loader.js')).href);
  const { runBundled } = writeBundleCacheOnExit(bundle, cache);
  await runBundled(['create', '--help'], root);
  await runBundled(['create', '--bogus'], root); // exits 2 (the cache is written on exit)
  process.exit(0);
}

const require = createRequire(join(root, 'package.json'));
const esbuild = await import(require.resolve('esbuild'));
const options = bundleOptions(root);
const importers = new Map();
await esbuild.build({
  ...options,
  plugins: [...options.plugins, vendorSplit(importers)],
  entryPoints: [join(root, 'src', 'oclif-bundle.ts')],
  outfile: bundle,
});
await buildVendors(esbuild, options, importers, join(root, 'dist'));
// the fast path bin/run.js loads first, as one ESM file (tsc wrote it as a module of re-exports)
await esbuild.build({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  entryPoints: [join(root, 'src', 'fast-path.ts')],
  outfile: join(root, 'dist', 'fast-path.js'),
});
try {
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--make-cache'], { stdio: 'ignore' });
} catch (error) {
  if (error.status !== 2) throw error; // the bad flag's exit code
}
process.stderr.write(`build-bundle: wrote ${bundle} and its code cache\n`);
