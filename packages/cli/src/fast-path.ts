/**
 * Everything `bin/run.js` needs before it decides whether to load oclif, in one module: the build
 * bundles it into the single file dist/fast-path.js (scripts/build-bundle.mjs), so a help request
 * loads one file rather than five (start-up time). Imports only node builtins.
 */
export { normalizeArgv } from './argv.js';
export { cachedHelp, helpCacheKey } from './help/help-cache.js';
export { helpMemoDir, helpMemoFile, readHelpMemo, rememberHelp } from './help/help-memo.js';
export { oclifPlatform } from './help/oclif-platform.js';
export { stdoutTerminal, writeStdout } from './help/stdout-fast.js';
