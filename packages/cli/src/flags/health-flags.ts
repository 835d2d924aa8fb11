import { Flags } from '@oclif/core';
import { durationFlag } from './global-flags.js';

/** The command health check's flags (create, plan, rollback), beside --health-url and --health-tcp. */
export const healthCmdFlags = {
  'health-cmd': Flags.string({
    summary:
      'command health check per new instance, run by /bin/sh; exit 0 = healthy; FS_INSTANCE_INDEX, FS_UNIT, FS_SERVICE, FS_MACHINE_ID, FS_MACHINE_IP are set',
    env: 'FS_HEALTH_CMD',
    multiple: true,
    helpValue: 'CMD',
  }),
  'health-cmd-timeout': durationFlag({
    summary:
      'time allowed for one run of --health-cmd; then it is killed and counts as unhealthy [default: 10s]',
    env: 'FS_HEALTH_CMD_TIMEOUT',
    bounds: { minMs: 10, maxMs: 3_600_000 },
  }),
};
