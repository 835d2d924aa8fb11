import { Args } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { applyFlags } from '../flags/apply-flags.js';
import { translateGoFlags } from '../flags/go-flags.js';
import type { InterruptHandle } from '../runtime/interrupt.js';

export default class Apply extends FsCommand {
  static override summary =
    'Make the whole cluster match services.yaml (coco-fleet-deployer’s format), one rolling update per service';
  static override description =
    `FILE (a path or an http(s) URL; default: <root-uri>services.yaml) lists every service in coco-fleet-deployer's format: a "services:" list whose entries have name (web@.service: a template with instances 1..count; web.service with count 0 or none: a plain unit), version (replaces DOCKER_APP_VERSION=latest, and {{version}}, in the unit file), count, uri (the unit file: an absolute URL, an absolute path, or relative to --root-uri; default <root-uri><name>), desiredState (of a plain unit) and sequentialDeployment (true: one instance at a time; false: every instance at once, NOT zero-downtime). web-sidekick@.service listed beside web@.service is web's sidekick: web-sidekick@N is updated with web@N in the same step. Every fs create setting (maxUnavailable, maxSurge, onFailure, timeouts, healthChecks, …) may be given per entry or for every entry under a top-level "defaults:" map.

A complete services.yaml (in YAML's flow style here; the usual block style is the same file):

{defaults: {onFailure: rollback, healthChecks: [{http: "http://{ip}:8080/health"}]}, services: [{name: web@.service, version: "1.4.2", count: 3, sequentialDeployment: true, maxSurge: 1}, {name: web-sidekick@.service, count: 3}, {name: deployer.service, uri: units/deployer.service, desiredState: launched}]}

The whole cluster is read once and planned. New services and scale-ups run first, then updates, then scale-downs and removals; up to --parallel services at once, each under its own lock. Services missing from the file are only reported unless --prune, which removes only services fs manages and never what --protect matches.

coco's own command line works: fs apply -fleetEndpoint=URL -rootURI=URL -destroy=true

Exit code: 0 when every service succeeded or was unchanged; otherwise that of the worst failure among the services (interrupted 130 > rollback failed 8 > internal 1 > instance failed 6 > timeout 5 > rolled back 7 > fleet rejected 4 > fleet unreachable 3 > lock 9 > bad input 2). Bad input (YAML, schema, names, counts, unit files, sources) exits 2 before fleet is touched. --watch stopped by Ctrl-C or SIGTERM exits 0.`;
  static override examples = [
    '<%= config.bin %> apply services.yaml',
    '<%= config.bin %> apply https://example.com/fleet/services.yaml --dry-run',
    '<%= config.bin %> apply --root-uri https://raw.githubusercontent.com/org/fleet/master/service-files/ --prune --protect "deployer*"',
    '<%= config.bin %> apply services.yaml --watch 60s --parallel 8',
    '<%= config.bin %> apply -fleetEndpoint=http://10.0.0.1:49153 -rootURI=https://example.com/service-files/ -destroy=true',
  ];
  static override args = {
    file: Args.string({
      description: 'services.yaml: a path or an http(s) URL [default: <root-uri>services.yaml]',
    }),
  };
  static override flags = applyFlags;

  #interrupts: InterruptHandle | undefined;

  /** `--watch` ran until Ctrl-C / SIGTERM: its normal end (exit 0), not an interruption. */
  #watchStopped = false;

  protected override get interrupted(): boolean {
    return !this.#watchStopped && (this.#interrupts?.interrupted ?? false);
  }

  async run(): Promise<void> {
    const go = translateGoFlags(this.argv);
    this.argv = go.argv;
    const { args, flags } = await this.parse(Apply);
    const mode = this.setup(flags);
    const { connectionSettings } = await import('../runtime/settings.js');
    const settings = connectionSettings(flags);
    this.hintContext = { endpoint: settings.endpoint };
    if (go.ignored.length > 0 && mode.format === 'text')
      process.stderr.write(`ignored (coco-only flags): ${go.ignored.join(' ')}\n`);
    const flow = await import('../runtime/apply-flow.js');
    const done = await flow.runApply({
      file: args.file,
      flags,
      settings,
      mode,
      timeoutMs: flags.timeout,
      onInterrupts: (handle) => {
        this.#interrupts = handle;
      },
    });
    if (done.watched) {
      this.#watchStopped = true;
      await this.finish({ result: { watched: true } });
      return;
    }
    await this.finish({ result: done.result });
  }
}
