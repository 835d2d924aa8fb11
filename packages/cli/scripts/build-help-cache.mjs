#!/usr/bin/env node
// Build step after `oclif manifest`: renders the help texts of the root and of every command
// with oclif's own Help class (from dist/ and the fresh manifest) into dist/help-cache.json,
// which bin/run.js serves without loading oclif (see src/help/help-cache.ts).
// oclif renders the plain form only when stdout is not a terminal and FORCE_COLOR / OCLIF_COLUMNS
// are unset, so the rendering runs in a child process with stdout piped and those unset.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'help-cache.json');

if (process.argv[2] === '--render') {
  const { renderHelpTexts } = await import(pathToFileURL(join(root, 'dist', 'help', 'render-help.js')).href);
  const cache = await renderHelpTexts(root);
  writeFileSync(out, `${JSON.stringify(cache, null, 1)}\n`);
  process.stderr.write(`build-help-cache: wrote ${Object.keys(cache.texts).length} help texts to ${out}\n`);
} else {
  const env = { ...process.env, OCLIF_DISABLE_ENGINE_WARNING: '1', OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
  for (const name of ['FORCE_COLOR', 'OCLIF_COLUMNS', 'DEBUG']) delete env[name];
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--render'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
