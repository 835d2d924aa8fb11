import { Flags } from '@oclif/core';
import { parseInteger } from './duration.js';
import { durationFlag } from './global-flags.js';
import { notifyFlags } from './notify-flags.js';

/** Flags of `fs apply` (coco-fleet-deployer's Go-style flags are translated to these: go-flags.ts). */
export const applyFlags = {
  ...notifyFlags,
  'root-uri': Flags.string({
    summary:
      'where unit files (and services.yaml, when no FILE is given) are: an http(s) URL ending in / or a directory (coco: -rootURI)',
    env: 'FS_ROOT_URI',
    helpValue: 'URL|DIR',
  }),
  prune: Flags.boolean({
    summary:
      'remove services fs manages that the file no longer lists (coco: -destroy=true); without it they are only reported',
    env: 'FS_PRUNE',
  }),
  protect: Flags.string({
    summary: 'never remove units or services matching this glob (repeatable), e.g. --protect "deployer*"',
    multiple: true,
    helpValue: 'GLOB',
  }),
  'allow-empty': Flags.boolean({
    summary: 'accept an empty file, or one that would remove every service fs manages',
    env: 'FS_ALLOW_EMPTY',
  }),
  'dry-run': Flags.boolean({
    summary: 'print the whole-cluster plan with a unit diff per service; change nothing',
    env: 'FS_DRY_RUN',
  }),
  plan: Flags.boolean({ summary: 'same as --dry-run' }),
  parallel: Flags.custom<number>({
    summary: 'services rolled out at once [default: 4]',
    env: 'FS_PARALLEL',
    helpValue: 'N',
    parse: async (input) => parseInteger(input, 'parallel', 1, 100),
  })(),
  'fail-fast': Flags.boolean({
    summary: 'after the first failed service start no other, and stop those in flight safely',
    env: 'FS_FAIL_FAST',
  }),
  force: Flags.boolean({ summary: 'replace every instance, even those already running the file’s contents' }),
  watch: durationFlag({
    summary:
      'keep running: re-read the source and apply what differs (drift included) every DURATION, e.g. 60s',
    env: 'FS_WATCH',
    bounds: { minMs: 1_000, maxMs: 86_400_000 },
  }),
  'revert-drift': Flags.boolean({
    summary:
      'with --watch, put back units changed or removed by hand (--no-revert-drift: only report them) [default: on]',
    allowNo: true,
    default: true,
  }),
  'steal-lock': Flags.boolean({
    summary: 'take over service locks held by other rollouts (use only when they are dead)',
    env: 'FS_STEAL_LOCK',
  }),
  'lock-settle': durationFlag({
    summary: 'wait after writing a lock before reading it back [default: 1s]',
    env: 'FS_LOCK_SETTLE',
    bounds: { minMs: 0, maxMs: 60_000 },
    hidden: true,
  }),
};
