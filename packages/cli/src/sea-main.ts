// Entry of the single binary (Node SEA). Bundled by scripts/build-binary.mjs into one CommonJS
// file with everything inside, so it runs with no node_modules and no package.json nearby.
// A plain help request is answered from the help texts embedded at build time (rendered by oclif
// for this very binary, see src/help/sea-help-entry.ts) without loading oclif; anything else
// loads oclif (src/oclif-bundle.ts) lazily.
import { arch } from 'node:os';
import { dirname } from 'node:path';
import { normalizeArgv } from './argv.js';
import { cachedHelp, type HelpCache } from './help/help-cache.js';
import { oclifPlatform } from './help/oclif-platform.js';

/** The help cache as JSON text, defined by the binary build (absent when run from source). */
declare const __FS_HELP_CACHE__: string | undefined;

const args = normalizeArgv(process.argv.slice(2));
const cache: HelpCache | undefined =
  typeof __FS_HELP_CACHE__ === 'string' ? (JSON.parse(__FS_HELP_CACHE__) as HelpCache) : undefined;
const text =
  cache &&
  cachedHelp(cache, args, {
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    platform: oclifPlatform,
    arch: arch(),
    nodeVersion: process.version,
  });
if (text !== undefined) process.stdout.write(text);
else void import('./oclif-bundle.js').then((oclif) => oclif.runBundled(args, dirname(process.execPath)));
