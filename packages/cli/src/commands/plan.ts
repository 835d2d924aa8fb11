import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { createFlags } from '../flags/rollout-flags.js';
import { connectionSettings } from '../runtime/settings.js';

export default class Plan extends FsCommand {
  static override summary =
    'Show what create would do: the plan and a diff of the unit contents (changes nothing)';
  static override description = 'The same as `fs create SERVICE UNIT_FILE --dry-run`.';
  static override examples = ['<%= config.bin %> plan web web.service --count 5'];
  static override args = {
    service: Args.string({ description: 'service name S', required: true }),
    unit_file: Args.string({ description: 'systemd unit file for the instances', required: true }),
  };
  static override flags = { ...createFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Plan);
    const mode = this.setup(flags);
    const settings = connectionSettings(flags);
    this.hintContext = { service: args.service, endpoint: settings.endpoint };
    const flow = await import('../runtime/create-flow.js');
    const { spec, api } = await flow.prepareCreate(args.service, args.unit_file, flags, settings);
    const plan = await flow.showPlan(spec, api, settings, mode);
    await this.finish({ result: { dryRun: true, plan } });
  }
}
