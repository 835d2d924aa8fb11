import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { notifyFlags, notifyRequest } from '../flags/notify-flags.js';
import { strategyFlags } from '../flags/rollout-flags.js';
import { strategyFrom } from '../runtime/build-spec.js';

export default class Promote extends FsCommand {
  static override summary = 'Roll the canary of SERVICE out to every instance, then remove the canary';
  static override description =
    'After `fs create SERVICE UNIT_FILE --canary N` stopped with its canaries healthy (exit 10): the contents the canaries run are kept in the cluster, so this rolls them out with the same zero-downtime strategy, and removes the canary instances last. `fs rollback SERVICE` throws the canary away instead.';
  static override examples = [
    '<%= config.bin %> promote web',
    '<%= config.bin %> promote web --max-surge 1 --health-url http://{ip}:8080/health',
  ];
  static override args = {
    service: Args.string({ description: 'service name S', required: true }),
  };
  static override flags = { ...strategyFlags, ...notifyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Promote);
    const { mode, settings } = this.setupService(flags, args.service);
    const { checkServiceName } = await import('../runtime/unit-file.js');
    await checkServiceName(args.service);
    const spec = strategyFrom(flags);
    const { lockIdentity, runEngine } = await import('../runtime/engine-run.js');
    const { promoteService } = await import('@fleet-service/rollout');
    const notify = notifyRequest(flags, 'promote', args.service);
    const run = { settings, mode, title: `${args.service}: promoting the canary`, notify };
    const result = await runEngine({ ...run, onSession: (s) => (this.session = s) }, (deps) =>
      promoteService(args.service, { ...deps, spec: { ...spec, lock: lockIdentity(spec.lock) } }),
    );
    await this.finish({ result, outcome: result.outcome });
  }
}
