// Entry of the single binary (Node SEA). Bundled by scripts/build-binary.mjs into one CommonJS
// file with everything inside, so it runs with no node_modules and no package.json nearby.
// A plain help request is answered from the help texts embedded at build time (rendered by oclif
// for this very binary, see src/help/sea-help-entry.ts) without loading oclif; in a terminal, from
// what oclif rendered for the same request, width and colours (src/help/help-memo.ts); anything else
// loads oclif (src/oclif-bundle.ts) lazily.
import { arch } from 'node:os';
import { dirname } from 'node:path';
import { normalizeArgv } from './argv.js';
import { cachedHelp, type HelpCache, helpCacheKey } from './help/help-cache.js';
import { helpMemoDir, helpMemoFile, readHelpMemo, rememberHelp } from './help/help-memo.js';
import { oclifPlatform } from './help/oclif-platform.js';
import { stdoutTerminal, writeStdout } from './help/stdout-fast.js';

/** The help cache as JSON text, defined by the binary build (absent when run from source). */
declare const __FS_HELP_CACHE__: string | undefined;

const args = normalizeArgv(process.argv.slice(2));
const cache: HelpCache | undefined =
  typeof __FS_HELP_CACHE__ === 'string' ? (JSON.parse(__FS_HELP_CACHE__) as HelpCache) : undefined;
// not process.stdout: building that stream costs ~5 ms of a cold start (help/stdout-fast.ts)
const terminal = stdoutTerminal();
const text = terminal.isTTY
  ? helpInTerminal()
  : cache &&
    cachedHelp(cache, args, {
      env: process.env,
      stdoutIsTTY: false,
      platform: oclifPlatform,
      arch: arch(),
      nodeVersion: process.version,
    });
if (text !== undefined) writeStdout(text);
// a smaller heap (v8-flags.ts), set only when oclif is loaded: node:v8 costs ~2 ms of a start
else
  void import('./v8-flags.js')
    .then(({ applyV8Flags }) => applyV8Flags())
    .then(() => import('./oclif-bundle.js'))
    .then((oclif) => oclif.runBundled(args, dirname(process.execPath)));

/** In a terminal: the help oclif rendered for the same request, width and colours (help/help-memo.ts). */
function helpInTerminal(): string | undefined {
  if (cache?.format !== 1) return undefined;
  const texts = cache.texts;
  const key = helpCacheKey(args, (k) => Object.hasOwn(texts, k));
  const dir = key === undefined ? undefined : helpMemoDir(process.env);
  const platform = oclifPlatform();
  if (key === undefined || dir === undefined || platform === undefined) return undefined;
  const file = helpMemoFile(dir, key, {
    env: process.env,
    nameVersion: `${cache.nameVersion} binary`,
    columns: terminal.columns,
    platform,
    arch: arch(),
    nodeVersion: process.version,
  });
  const known = readHelpMemo(file);
  if (known === undefined) rememberHelp(file, dir);
  return known;
}
