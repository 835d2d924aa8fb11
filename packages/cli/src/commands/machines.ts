import { FsCommand } from '../base-command.js';
import { connectionSettings } from '../runtime/settings.js';

/** One machine as `fs machines` reports it. */
export interface MachineRow {
  id: string;
  primaryIP: string;
  metadata: Record<string, string>;
  /** Units fleet has scheduled on this machine. */
  units: string[];
}

export default class Machines extends FsCommand {
  static override summary = "List the cluster's machines: id, IP, units, metadata (alias: lm)";
  static override hiddenAliases = ['lm'];
  static override examples = ['<%= config.bin %> machines', '<%= config.bin %> lm --json'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Machines);
    const mode = this.setup(flags);
    const settings = connectionSettings(flags);
    this.hintContext = { endpoint: settings.endpoint };
    const { checkIsFleet, createClient } = await import('../runtime/connect.js');
    const api = await createClient(settings);
    await checkIsFleet(api, settings.endpoint);
    const [machines, units] = await Promise.all([api.listMachines(), api.listUnits()]);
    const rows: MachineRow[] = machines.map((m) => ({
      id: m.id ?? '',
      primaryIP: m.primaryIP ?? '',
      metadata: { ...(m.metadata ?? {}) },
      units: units.filter((u) => u.machineID === m.id).map((u) => u.name),
    }));
    if (mode.format === 'text') {
      const { table } = await import('../render/table.js');
      process.stdout.write(
        table(
          ['MACHINE', 'IP', 'UNITS', 'METADATA'],
          rows.map((r) => [
            mode.verbose ? r.id : `${r.id.slice(0, 8)}...`,
            r.primaryIP || '-',
            String(r.units.length),
            Object.entries(r.metadata)
              .map(([k, v]) => `${k}=${v}`)
              .join(',') || '-',
          ]),
        ),
      );
    }
    await this.finish({ result: { machines: rows } });
  }
}
