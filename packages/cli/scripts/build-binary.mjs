#!/usr/bin/env node
// `pnpm build:binary`: one self-contained Linux x64 executable, packages/cli/dist-bin/fs (Node SEA).
//   1. esbuild: src/sea-main.ts and every workspace package (from source) → one CommonJS file
//      (typescript stays external: @oclif/core only needs it for development mode)
//   2. node --experimental-sea-config → the blob (with a code cache for faster start)
//   3. copy this node binary, strip it (BEFORE injecting: a stripped-after binary crashes)
//   4. postject the blob with the SEA sentinel fuse
// Set FS_BINARY_NODE=/path/to/node to use another node binary as the base.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist-bin');
// intermediate files live outside the package (linters and test globs never see the bundle)
const work = mkdtempSync(join(tmpdir(), 'fs-build-binary-'));
const bundle = join(work, 'fs.cjs');
const blob = join(work, 'fs.blob');
const binary = join(out, 'fs');
const require = createRequire(join(root, 'package.json'));
const log = (m) => process.stderr.write(`build-binary: ${m}\n`);

if (process.platform !== 'linux')
  log(`warning: built on ${process.platform}; the binary is for this platform`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const esbuild = await import(require.resolve('esbuild'));
const started = Date.now();
await esbuild.build({
  entryPoints: [join(root, 'src', 'sea-main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['@fleet-service/source'],
  external: ['typescript'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "process.env.OCLIF_DISABLE_ENGINE_WARNING='1';" },
  define: { 'import.meta.url': '__fs_import_meta_url' },
  inject: [join(root, 'scripts', 'import-meta-url.mjs')],
});
log(`bundled in ${Date.now() - started} ms (${(statSync(bundle).size / 1e6).toFixed(1)} MB)`);

const config = join(work, 'sea-config.json');
writeFileSync(
  config,
  JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
);
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

const base = process.env.FS_BINARY_NODE || process.execPath;
copyFileSync(base, binary);
chmodSync(binary, 0o755);
try {
  execFileSync('strip', [binary], { stdio: 'ignore' });
} catch {
  log('strip not available; the binary stays larger');
}
const postject = require.resolve('postject/dist/cli.js');
try {
  // postject's ELF library warns about note sections it does not know; show its output only on failure
  execFileSync(
    process.execPath,
    [
      postject,
      binary,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    { stdio: 'pipe' },
  );
} catch (error) {
  process.stderr.write(String(error.stderr ?? ''));
  throw error;
}
rmSync(work, { recursive: true, force: true });
log(`wrote ${binary} (${(statSync(binary).size / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
