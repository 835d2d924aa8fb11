// oclif with every command in memory, for the bundles: the single binary (src/sea-main.ts) and
// dist/oclif-bundle.cjs, which bin/run.js loads for everything its help cache does not answer.
// A bundle resolves and reads one file instead of hundreds, and oclif cannot require() command
// files from inside it (nor from a SEA): the package.json is passed inline and the commands are
// served from the explicit map in memory.
import { execute, type Interfaces, Plugin } from '@oclif/core';
import pjson from '../package.json' with { type: 'json' };
import { resolveCommandLine } from './argv.js';
import { COMMANDS } from './command-map.js';
import { argvTableOf } from './command-table.js';
import { reportUnknownCommand } from './unknown-command.js';

/** oclif load options that serve the commands from {@link COMMANDS}; `root` is oclif's root dir. */
export function bundledLoadOptions(root: string): Interfaces.LoadOptions {
  type WithCache = { commandCache?: unknown; isRoot?: boolean };
  const original = Plugin.prototype as unknown as { loadCommandsFromTarget: () => Promise<unknown> };
  original.loadCommandsFromTarget = async function (this: WithCache) {
    this.commandCache = COMMANDS;
    return COMMANDS;
  };
  const inlinePjson = {
    ...pjson,
    oclif: { ...pjson.oclif, commands: { strategy: 'explicit', target: './bundle', identifier: 'COMMANDS' } },
  };
  return {
    root,
    // biome-ignore lint/suspicious/noExplicitAny: oclif's PJSON type is stricter than a JSON import
    pjson: inlinePjson as any,
    isRoot: true,
    ignoreManifest: true,
  };
}

/**
 * Runs `fs` with oclif: every flag written before the command is moved after it, and an unknown
 * command (or flags without one) is answered in fs's error style with exit code 2, not by oclif.
 */
export async function runBundled(args: string[], root: string): Promise<void> {
  const table = argvTableOf(COMMANDS);
  const line = resolveCommandLine(args, table);
  if (line.unknownCommand !== undefined) {
    reportUnknownCommand(line.unknownCommand, [...table.commands], args);
    return;
  }
  await execute({ args: line.argv, loadOptions: bundledLoadOptions(root) });
}
