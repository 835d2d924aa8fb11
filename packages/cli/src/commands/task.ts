import { Args, Flags } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { durationFlag } from '../flags/global-flags.js';

export default class Task extends FsCommand {
  static override summary =
    'Run a one-off task (a migration) from SERVICE’s task template at a version, and wait for it';
  static override description =
    'The task template (--template, default SERVICE-task.service) is rendered with {{version}} and {{command}}, run as SERVICE-task-<id>.service (a oneshot) on one machine and waited for until it succeeds, fails or reaches --timeout; the unit is destroyed afterwards in every case. Progress lines go to stdout and end with Exited (N) as deployster printed: 0 succeeded, 1 failed (fleet reports no exit status), 124 timed out. fleet’s API carries no logs: read them with journalctl on the machine named. Exit code 0, 6 when the task failed or timed out.';
  static override examples = [
    '<%= config.bin %> task railsapp --version 7bdae1c -- bundle exec rake db:migrate',
    '<%= config.bin %> task railsapp --version 7bdae1c --template tasks/railsapp.service --timeout 30m -- ./migrate',
  ];
  static override strict = false;
  static override args = {
    service: Args.string({ description: 'service name S (the unit is S-task-<id>.service)', required: true }),
  };
  static override flags = {
    version: Flags.string({
      summary: 'the version ({{version}} in the template)',
      required: true,
      helpValue: 'V',
    }),
    template: Flags.string({
      summary: 'the task unit template with {{command}} [default: SERVICE-task.service]',
      helpValue: 'FILE',
    }),
    timeout: durationFlag({
      summary: 'then the task is destroyed and counts as exit 124 [default: 10m]',
      env: 'FS_TASK_TIMEOUT',
      bounds: { minMs: 1_000, maxMs: 7 * 86_400_000 },
    }),
  };

  async run(): Promise<void> {
    const { args, flags, argv } = await this.parse(Task);
    const { mode, settings } = this.setupService(flags, args.service);
    const command = (argv as string[]).slice(1).join(' ');
    const flow = await import('../runtime/task-flow.js');
    const result = await flow.runTaskCommand({
      service: args.service,
      version: flags.version,
      template: flags.template ?? `${args.service}-task.service`,
      command,
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
      settings,
      mode,
    });
    await this.finish({ result, outcome: result.exitCode === 0 ? 'succeeded' : 'failed' });
  }
}
