import { Args, Flags } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { notifyFlags, notifyRequest } from '../flags/notify-flags.js';
import { createFlags } from '../flags/rollout-flags.js';
import { versionedFlags } from '../flags/versioned-flags.js';

export default class Create extends FsCommand {
  static override summary = 'Create or update SERVICE from UNIT_FILE with a zero-downtime rolling update';
  static override description =
    'Template SERVICE@.service, instances SERVICE@1..N. Only instances whose contents differ are replaced, in numeric order, keeping at least N − max-unavailable instances running. Rerun the same command to resume an interrupted rollout.';
  static override examples = [
    '<%= config.bin %> create web web.service --count 3',
    '<%= config.bin %> --fleetctl-endpoint http://10.0.0.1:49153 --timeout 600 create web web.service --count 3',
    '<%= config.bin %> create web web.service --max-surge 1 --on-failure rollback --health-url http://{ip}:8080/health',
    '<%= config.bin %> create web web.service --dry-run',
    '<%= config.bin %> create railsapp railsapp.service --versioned 9f88701 --count 2',
    '<%= config.bin %> create railsapp railsapp.service --versioned 7bdae1c --destroy-previous at-end',
  ];
  static override args = {
    service: Args.string({
      description: 'service name S (units S@.service, S@1.service, …)',
      required: true,
    }),
    unit_file: Args.string({ description: 'systemd unit file for the instances', required: true }),
  };
  static override flags = {
    ...createFlags,
    ...notifyFlags,
    ...versionedFlags,
    'dry-run': Flags.boolean({
      summary: 'print the plan and a diff of the unit contents; change nothing',
      env: 'FS_DRY_RUN',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Create);
    const { mode, settings } = this.setupService(flags, args.service);
    if (flags['dry-run'] && flags['steal-lock']) {
      const { UsageError } = await import('../usage-error.js');
      throw new UsageError('--dry-run conflicts with --steal-lock', { hint: 'a dry run takes no lock' });
    }
    const flow = await import('../runtime/create-flow.js');
    const { spec, api } = await flow.prepareCreate(args.service, args.unit_file, flags, settings);
    if (flags.versioned !== undefined) {
      const versioned = await import('../runtime/versioned-flow.js');
      const vspec = await versioned.versionedSpec(spec, flags);
      const result = flags['dry-run']
        ? { dryRun: true, plan: await versioned.showVersionedPlan(vspec, api, settings, mode) }
        : await versioned.runVersioned(vspec, api, settings, mode, (session) => {
            this.session = session;
          });
      await this.finish('outcome' in result ? { result, outcome: result.outcome } : { result });
      return;
    }
    if (flags['dry-run']) {
      const plan = await flow.showPlan(spec, api, settings, mode);
      await this.finish({ result: { dryRun: true, plan } });
      return;
    }
    const notify = notifyRequest(flags, 'create', args.service);
    const result = await flow.runCreate(
      spec,
      api,
      settings,
      mode,
      (session) => {
        this.session = session;
      },
      notify,
    );
    await this.finish({ result, outcome: result.outcome });
  }
}
