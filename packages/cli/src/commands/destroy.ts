import { Args, Flags } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { notifyFlags, notifyRequest } from '../flags/notify-flags.js';
import { strategyFlags } from '../flags/rollout-flags.js';

export default class Destroy extends FsCommand {
  static override summary =
    'Destroy SERVICE: every instance (highest first), the template, SERVICE.service and fs records';
  static override examples = ['<%= config.bin %> destroy web'];
  static override args = {
    service: Args.string({ description: 'service name S', required: true }),
  };
  static override flags = {
    'gone-timeout': strategyFlags['gone-timeout'],
    'poll-interval': strategyFlags['poll-interval'],
    'steal-lock': strategyFlags['steal-lock'],
    'lock-settle': strategyFlags['lock-settle'],
    'batch-size': Flags.integer({
      summary: 'units destroyed at once [default: 10]',
      env: 'FS_BATCH_SIZE',
      min: 1,
    }),
    ...notifyFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Destroy);
    const { mode, settings } = this.setupService(flags, args.service);
    const { checkServiceName } = await import('../runtime/unit-file.js');
    await checkServiceName(args.service);
    const { lockIdentity, runEngine } = await import('../runtime/engine-run.js');
    const { destroyService } = await import('@fleet-service/rollout');
    const spec = destroySpec(flags);
    const notify = notifyRequest(flags, 'destroy', args.service);
    const run = { settings, mode, title: `${args.service}: destroying`, notify };
    const result = await runEngine({ ...run, onSession: (s) => (this.session = s) }, (deps) =>
      destroyService(args.service, {
        ...deps,
        spec: { ...spec, lock: lockIdentity(spec.lock) },
        ...(flags['batch-size'] ? { batchSize: flags['batch-size'] } : {}),
      }),
    );
    if (mode.format === 'text' && !mode.quiet) {
      const { destroyText } = await import('../render/destroy-text.js');
      process.stdout.write(destroyText(args.service, result, mode.color));
    }
    await this.finish({ result });
  }
}

function destroySpec(flags: {
  timeout?: number | undefined;
  'gone-timeout'?: number | undefined;
  'poll-interval'?: number | undefined;
  'steal-lock'?: boolean | undefined;
  'lock-settle'?: number | undefined;
}) {
  const gone = flags['gone-timeout'] ?? flags.timeout;
  return {
    ...(gone !== undefined ? { timeouts: { gone } } : {}),
    ...(flags['poll-interval'] !== undefined ? { pollIntervalMs: flags['poll-interval'] } : {}),
    lock: {
      ...(flags['steal-lock'] ? { steal: true } : {}),
      ...(flags['lock-settle'] !== undefined ? { settleMs: flags['lock-settle'] } : {}),
    },
  };
}
