import { Flags } from '@oclif/core';
import { parseInteger } from './duration.js';

/** `fs create --versioned VERSION`: a blue-green deploy of SERVICE-VERSION@1..N beside the running versions. */
export const versionedFlags = {
  versioned: Flags.string({
    summary:
      'deploy as version VERSION: units SERVICE-VERSION@1..N start beside the running version, which goes as each new instance is healthy',
    helpValue: 'VERSION',
    env: 'FS_VERSIONED',
  }),
  'destroy-previous': Flags.option({
    summary:
      'with --versioned: destroy the previous version per instance (true), once all are healthy (at-end), or not (false) [default: true]',
    options: ['true', 'false', 'at-end'] as const,
    env: 'FS_DESTROY_PREVIOUS',
    dependsOn: ['versioned'],
  })(),
  'batch-size': Flags.custom<number>({
    summary: 'with --versioned: new instances started at once [default: 1]',
    helpValue: 'N',
    env: 'FS_BATCH_SIZE',
    dependsOn: ['versioned'],
    parse: async (input, _ctx, opts) => parseInteger(input, opts.name, 1),
  })(),
};
