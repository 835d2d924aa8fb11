#!/usr/bin/env node
// `fs` for npm installs. The old fs took global flags BEFORE the command
// (`fs --fleetctl-endpoint URL --timeout 600 create web web.service`); oclif does not, so argv is
// normalised first: here for the old globals (dist/fast-path.js: one bundled file of node
// builtins only, with the help fast path), and in
// runBundled for every flag of every command, where an unknown command is reported too.
// A plain help request (`--help`, `-h`, `help`, with or without one command, stdout not a
// terminal) is answered from dist/help-cache.json, rendered by oclif at build time, without
// loading oclif; in a terminal, from what oclif rendered for the same request, width and colours
// the first time (src/help/help-memo.ts); everything else, and any doubt, goes to oclif (see src/help/help-cache.ts),
// loaded from dist/oclif-bundle.cjs (oclif and every command in one file) with its V8 code cache.
import { existsSync, readFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  cachedHelp,
  helpCacheKey,
  helpMemoDir,
  helpMemoFile,
  normalizeArgv,
  oclifPlatform,
  readHelpMemo,
  rememberHelp,
  stdoutTerminal,
  writeStdout,
} from '../dist/fast-path.js';

const args = normalizeArgv(process.argv.slice(2));
const cache = readCache();
// not process.stdout: building that stream costs ~5 ms of a cold start (src/help/stdout-fast.ts)
const terminal = stdoutTerminal();
const text = terminal.isTTY ? helpInTerminal() : helpFromCache();
if (text !== undefined) {
  writeStdout(text);
} else {
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
  // before the bundle is compiled: a smaller heap (src/v8-flags.ts), and the flags its code cache
  // was made under (V8 rejects a cache made under other flags). Not on the help path: loading
  // node:v8 alone costs ~2 ms of a 60 ms start.
  const { applyV8Flags } = await import('../dist/v8-flags.js');
  applyV8Flags();
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = join(root, 'dist', 'oclif-bundle.cjs');
  if (existsSync(bundle)) {
    const { loadBundle } = await import('../dist/bundle-loader.js');
    await loadBundle(bundle, join(root, 'dist', 'oclif-bundle.cache')).runBundled(args, root);
  } else {
    // built without the bundle (tsc alone): the same code, as separate modules
    const { runBundled } = await import('../dist/oclif-bundle.js');
    await runBundled(args, root);
  }
}

function readCache() {
  try {
    return JSON.parse(readFileSync(new URL('../dist/help-cache.json', import.meta.url), 'utf8'));
  } catch {
    return undefined; // not built (or built without the cache): oclif answers
  }
}

/** In a terminal: the help oclif rendered for the same request, width and colours (src/help/help-memo.ts). */
function helpInTerminal() {
  const key = cache?.format === 1 ? helpCacheKey(args, (k) => Object.hasOwn(cache.texts, k)) : undefined;
  if (key === undefined) return undefined;
  const dir = helpMemoDir(process.env);
  const platform = oclifPlatform();
  if (dir === undefined || platform === undefined) return undefined;
  const file = helpMemoFile(dir, key, {
    env: process.env,
    nameVersion: cache.nameVersion,
    columns: terminal.columns,
    platform,
    arch: arch(),
    nodeVersion: process.version,
  });
  const known = readHelpMemo(file);
  if (known === undefined) rememberHelp(file, dir);
  return known;
}

function helpFromCache() {
  if (cache === undefined) return undefined;
  return cachedHelp(cache, args, {
    env: process.env,
    stdoutIsTTY: false,
    platform: oclifPlatform,
    arch: arch(),
    nodeVersion: process.version,
  });
}
