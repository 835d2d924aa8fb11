import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { strategyFlags } from '../flags/rollout-flags.js';
import { strategyFrom } from '../runtime/build-spec.js';

export default class Rollback extends FsCommand {
  static override summary = 'Put the previous contents of SERVICE back, with the same zero-downtime strategy';
  static override description =
    'The previous contents are kept in the cluster by every rollout, so this works even after the process that ran it died.';
  static override examples = [
    '<%= config.bin %> rollback web',
    '<%= config.bin %> rollback web --max-unavailable 2',
  ];
  static override args = {
    service: Args.string({ description: 'service name S', required: true }),
  };
  static override flags = { ...strategyFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rollback);
    const { mode, settings } = this.setupService(flags, args.service);
    const { checkServiceName } = await import('../runtime/unit-file.js');
    await checkServiceName(args.service);
    const { withOwner } = await import('../runtime/create-flow.js');
    const spec = withOwner(strategyFrom(flags));
    const { openSession } = await import('../runtime/session.js');
    const session = await openSession(settings, mode, `${args.service}: rolling back`);
    this.session = session;
    const { rollbackService } = await import('@fleet-service/rollout');
    let result: Awaited<ReturnType<typeof rollbackService>> | undefined;
    try {
      result = await rollbackService(args.service, {
        api: session.api,
        signal: session.interrupts.signal,
        onEvent: (e) => session.onEvent(e),
        pid: process.pid,
        spec,
      });
    } catch (error) {
      result = (error as { result?: typeof result }).result;
      throw error;
    } finally {
      await session.close(result);
    }
    await this.finish({ result, outcome: result.outcome });
  }
}
