// Loads dist/oclif-bundle.cjs with a V8 code cache (dist/oclif-bundle.cache, made at build time),
// as the single binary's blob does (`useCodeCache`): node 20 has no compile cache of its own,
// and compiling the bundle is a large part of a cold start. The bundle is run exactly as
// require() runs a CommonJS file (same wrapper, same require, module and paths). A cache V8
// rejects (another node, changed source) only costs the compile it would have saved.
// Known limit (node 20.20): an `import('node:…')` inside the bundle never settles when the bundle
// runs from a cache made by the build's process (it does without the cache), so the bundle holds
// none: node builtins are imported statically (test/cli/bundle.e2e.test.ts checks).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { debuglog } from 'node:util';
import { constants, Script, type ScriptOptions } from 'node:vm';
import { IMPORT_OUTSIDE } from './runtime/import-outside.js';

/** `NODE_DEBUG=fs-bundle fs …` says whether V8 took the code cache (a rejected one costs ~60 ms). */
const debug = debuglog('fs-bundle');

/** What `import()` inside the bundle uses (node ≥ 20.12; older: the plain require, no cache). */
const mainContextLoader = (constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: unknown } | undefined)
  ?.USE_MAIN_CONTEXT_DEFAULT_LOADER as ScriptOptions['importModuleDynamically'];

/** Compiles the CommonJS file `file` in require()'s wrapper, with a code cache if given. */
export function compileBundle(file: string, cachedData?: Buffer): Script {
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  return new Script(wrapped, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    ...(mainContextLoader ? { importModuleDynamically: mainContextLoader } : {}),
  });
}

/** Runs a script from {@link compileBundle} as require() would; returns its exports. */
export function runBundle(script: Script, file: string): unknown {
  // the bundle's own import() fails when it runs from the code cache (src/runtime/import-outside.ts)
  (globalThis as Record<symbol, unknown>)[IMPORT_OUTSIDE] = (specifier: string) => import(specifier);
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/** Loads the CommonJS bundle `file`, using the code cache `cacheFile` when there is one. */
export function loadBundle(file: string, cacheFile: string): unknown {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
  if (!cachedData || !mainContextLoader) {
    debug(
      'no code cache: %s',
      cachedData ? 'this node has no main-context loader' : `${cacheFile} unreadable`,
    );
    return createRequire(import.meta.url)(file);
  }
  const script = compileBundle(file, cachedData);
  debug('code cache %s', script.cachedDataRejected ? 'rejected' : 'accepted');
  return runBundle(script, file);
}

/**
 * Build time: loads the bundle, lets `exercise` run code in it (so the functions it compiles are
 * in the cache), and writes the code cache to `cacheFile` when the process exits.
 */
export function writeBundleCacheOnExit(file: string, cacheFile: string): unknown {
  const script = compileBundle(file);
  process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return runBundle(script, file);
}
