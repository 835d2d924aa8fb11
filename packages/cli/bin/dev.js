#!/usr/bin/env -S node --conditions=@fleet-service/source --import tsx
// Development entry: runs the TypeScript sources (src/) through tsx, without a build.
// Run it as `node --conditions=@fleet-service/source --import tsx bin/dev.js …`.
import { execute } from '@oclif/core';
import { normalizeArgv } from '../src/argv.ts';

await execute({ args: normalizeArgv(process.argv.slice(2)), development: true, dir: import.meta.url });
