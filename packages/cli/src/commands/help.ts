import { Args, Command, loadHelpClass } from '@oclif/core';

/** `fs help [COMMAND]`: the same help as `fs --help` / `fs COMMAND --help`. */
export default class Help extends Command {
  static override summary = 'Show help for fs or for one command (same as --help)';
  static override args = {
    command: Args.string({ description: 'command to show help for', required: false }),
  };
  static override strict = false;

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const HelpClass = await loadHelpClass(this.config);
    const help = new HelpClass(
      this.config,
      this.config.pjson.oclif.helpOptions ?? this.config.pjson.helpOptions,
    );
    await help.showHelp(argv as string[]);
  }
}
