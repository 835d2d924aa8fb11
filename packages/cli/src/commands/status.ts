import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { versionsText } from '../render/versions-text.js';
import { connectionSettings } from '../runtime/settings.js';

export default class Status extends FsCommand {
  static override summary =
    "Services with counts per state, or one service's instances in detail (alias: ls)";
  static override description =
    "Without SERVICE: every service (template + instances) with its instance counts per systemd active state (the old fs ls). With SERVICE: each instance's index (for a versioned service, each version's instances), machine, currentState, systemd states, whether its contents match the template, and who holds the service lock.";
  static override hiddenAliases = ['ls'];
  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status web',
    '<%= config.bin %> ls --json',
  ];
  static override args = {
    service: Args.string({ description: 'service name S (omit for every service)', required: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Status);
    const mode = this.setup(flags);
    const settings = connectionSettings(flags);
    this.hintContext = { endpoint: settings.endpoint, ...(args.service ? { service: args.service } : {}) };
    if (args.service) {
      const { checkServiceName } = await import('../runtime/unit-file.js');
      await checkServiceName(args.service);
    }
    const { checkIsFleet, createClient } = await import('../runtime/connect.js');
    const api = await createClient(settings);
    await checkIsFleet(api, settings.endpoint);
    const rollout = await import('@fleet-service/rollout');
    const render = await import('../render/status-text.js');
    if (args.service) {
      const service = args.service;
      // a versioned service (fs create --versioned, deployster) has no S@N units: show its versions
      const status = await rollout.describeService(api, service).catch(async (error: unknown) => {
        if (!rollout.isRolloutError(error, 'ERR_ROLLOUT_NO_SUCH_SERVICE')) throw error;
        const units = await rollout.listVersionedUnits(api, service);
        if (units.length === 0) throw error;
        return { service, versioned: true as const, units };
      });
      if ('versioned' in status) {
        if (mode.format === 'text') process.stdout.write(versionsText(status.units));
      } else if (mode.format === 'text') process.stdout.write(render.serviceText(status, mode));
      await this.finish({ result: status });
      return;
    }
    const services = await rollout.listServices(api);
    if (mode.format === 'text') process.stdout.write(render.servicesText(services, mode));
    await this.finish({ result: { services } });
  }
}
