#!/usr/bin/env node
// `pnpm build:binary`: one self-contained Linux x64 executable, packages/cli/dist-bin/fs (Node SEA).
//   0. the help texts: src/help/sea-help-entry.ts bundled like the binary and run with stdout
//      piped, so oclif renders them for this very configuration in their plain form
//   1. esbuild: src/sea-main.ts and every workspace package (from source) → one CommonJS file
//      (typescript stays external: @oclif/core only needs it for development mode), with the
//      help texts embedded (served without loading oclif, see src/help/help-cache.ts)
//   2. node --experimental-sea-config → the blob (with a code cache for faster start)
//   3. copy this node binary, strip it (BEFORE injecting: a stripped-after binary crashes)
//   4. postject the blob with the SEA sentinel fuse
// Set FS_BINARY_NODE=/path/to/node to use another node binary as the base.
// From the repository root, `npm run build:binary` installs (frozen lockfile, pinned pnpm) and
// builds first; run alone without node_modules, this script says so instead of a stack trace.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from './esbuild-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist-bin');
const binary = join(out, 'fs');
const require = createRequire(join(root, 'package.json'));
const log = (m) => process.stderr.write(`build-binary: ${m}\n`);
const esbuildPath = resolveDependency('esbuild');
const postject = resolveDependency('postject/dist/cli.js');
// intermediate files live outside the package (linters and test globs never see the bundle)
const work = mkdtempSync(join(tmpdir(), 'fs-build-binary-'));
const bundle = join(work, 'fs.cjs');
const blob = join(work, 'fs.blob');

if (process.platform !== 'linux')
  log(`warning: built on ${process.platform}; the binary is for this platform`);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const esbuild = await import(esbuildPath);
const started = Date.now();
const common = bundleOptions(root);

const helpBundle = join(work, 'render-help.cjs');
const helpJson = join(work, 'help-cache.json');
await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src', 'help', 'sea-help-entry.ts')],
  outfile: helpBundle,
});
const helpEnv = { ...process.env };
for (const name of ['FORCE_COLOR', 'OCLIF_COLUMNS', 'DEBUG']) delete helpEnv[name];
execFileSync(process.execPath, [helpBundle, helpJson], {
  env: helpEnv,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const helpCache = readFileSync(helpJson, 'utf8');
log(`rendered ${Object.keys(JSON.parse(helpCache).texts).length} help texts`);

await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src', 'sea-main.ts')],
  outfile: bundle,
  define: { ...common.define, __FS_HELP_CACHE__: JSON.stringify(helpCache) },
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

/** Where a build dependency is; exits 1 with what to run when it is not installed. */
function resolveDependency(id) {
  try {
    return require.resolve(id);
  } catch {
    const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
    log(`${name} is not installed (a devDependency of @fleet-service/cli).`);
    log('From the repository root, `npm run build:binary` installs and builds first;');
    log('or install with `npx -y pnpm@10.34.8 install --frozen-lockfile` and run this again.');
    process.exit(1);
  }
}
