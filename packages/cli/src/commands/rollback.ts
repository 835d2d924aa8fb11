import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { notifyFlags, notifyRequest } from '../flags/notify-flags.js';
import { strategyFlags } from '../flags/rollout-flags.js';
import { strategyFrom } from '../runtime/build-spec.js';

export default class Rollback extends FsCommand {
  static override summary = 'Put the previous contents of SERVICE back, with the same zero-downtime strategy';
  static override description =
    'The previous contents are kept in the cluster by every rollout, so this works even after the process that ran it died. A versioned service (create --versioned) gets the version that served before the last deploy again.';
  static override examples = [
    '<%= config.bin %> rollback web',
    '<%= config.bin %> rollback web --max-unavailable 2',
  ];
  static override args = {
    service: Args.string({ description: 'service name S', required: true }),
  };
  static override flags = { ...strategyFlags, ...notifyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rollback);
    const { mode, settings } = this.setupService(flags, args.service);
    const { checkServiceName } = await import('../runtime/unit-file.js');
    await checkServiceName(args.service);
    const spec = strategyFrom(flags);
    const { lockIdentity, runEngine } = await import('../runtime/engine-run.js');
    const { rollbackService, rollbackVersion, isRolloutError, listVersionedUnits } = await import(
      '@fleet-service/rollout'
    );
    const notify = notifyRequest(flags, 'rollback', args.service);
    const run = { settings, mode, title: `${args.service}: rolling back`, notify };
    const lock = lockIdentity(spec.lock);
    const result = await runEngine({ ...run, onSession: (s) => (this.session = s) }, (deps) =>
      rollbackService(args.service, { ...deps, spec: { ...spec, lock } }).catch(async (error: unknown) => {
        // a versioned service (fs create --versioned): deploy the version that served before again
        if (!isRolloutError(error, 'ERR_ROLLOUT_NO_SUCH_SERVICE')) throw error;
        if ((await listVersionedUnits(deps.api, args.service)).length === 0) throw error;
        return rollbackVersion(args.service, { ...deps, spec: { ...spec, lock } });
      }),
    );
    await this.finish({ result, outcome: result.outcome });
  }
}
