#!/usr/bin/env node
// `fs` for npm installs. The old fs took global flags BEFORE the command
// (`fs --fleetctl-endpoint URL --timeout 600 create web web.service`); oclif does not, so argv is
// normalised first (dist/argv.js is tiny and imports nothing).
import { execute } from '@oclif/core';
import { normalizeArgv } from '../dist/argv.js';

process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
await execute({ args: normalizeArgv(process.argv.slice(2)), dir: import.meta.url });
