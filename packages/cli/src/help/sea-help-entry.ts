// Build time only (scripts/build-binary.mjs bundles and runs it with stdout piped): renders the
// help texts for the single binary with the binary's own oclif configuration and writes the
// HelpCache JSON to the file named by the first argument.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundledLoadOptions } from '../oclif-bundle.js';
import { renderHelpTexts } from './render-help.js';

const out = process.argv[2];
if (!out) throw new Error('usage: sea-help-entry OUT.json');
void renderHelpTexts(bundledLoadOptions(dirname(process.execPath))).then((cache) =>
  writeFileSync(out, JSON.stringify(cache)),
);
