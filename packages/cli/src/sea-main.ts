// Entry of the single binary (Node SEA). Bundled by scripts/build-binary.mjs into one CommonJS
// file with everything inside, so it runs with no node_modules and no package.json nearby.
// Inside a SEA oclif cannot require() command files from disk: the package.json is passed
// inline and the commands are served from the explicit map in memory.
import { dirname } from 'node:path';
import { execute, Plugin } from '@oclif/core';
import pjson from '../package.json' with { type: 'json' };
import { normalizeArgv } from './argv.js';
import { COMMANDS } from './command-map.js';

type WithCache = { commandCache?: unknown; isRoot?: boolean };
const original = Plugin.prototype as unknown as { loadCommandsFromTarget: () => Promise<unknown> };
original.loadCommandsFromTarget = async function (this: WithCache) {
  this.commandCache = COMMANDS;
  return COMMANDS;
};

const inlinePjson = {
  ...pjson,
  oclif: { ...pjson.oclif, commands: { strategy: 'explicit', target: './sea', identifier: 'COMMANDS' } },
};

void execute({
  args: normalizeArgv(process.argv.slice(2)),
  loadOptions: {
    root: dirname(process.execPath),
    // biome-ignore lint/suspicious/noExplicitAny: oclif's PJSON type is stricter than a JSON import
    pjson: inlinePjson as any,
    isRoot: true,
    ignoreManifest: true,
  },
});
