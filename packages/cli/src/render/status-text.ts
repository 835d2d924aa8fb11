import type { RolloutRecord, ServiceStatus, ServiceSummary } from '@fleet-service/rollout';
import { Chalk } from 'chalk';
import type { OutputMode } from '../output/output-mode.js';
import { table } from './table.js';

/** `fs status`: one line per service with instance counts per systemd active state (the old `ls`). */
export function servicesText(services: readonly ServiceSummary[], mode: OutputMode): string {
  if (services.length === 0) return 'no services\n';
  const c = new Chalk({ level: mode.color ? 1 : 0 });
  const states = [...new Set(services.flatMap((s) => Object.keys(s.byActiveState)))].sort();
  return table(
    ['SERVICE', 'INSTANCES', ...states.map((s) => s.toUpperCase()), 'LOCKED'],
    services.map((s) => [
      s.service,
      String(s.instances),
      ...states.map((st) => {
        const n = s.byActiveState[st] ?? 0;
        return st === 'failed' && n > 0 ? c.red(String(n)) : String(n);
      }),
      s.locked ? c.yellow('yes') : s.lock?.expired ? c.dim('expired') : '-',
    ]),
  );
}

/** `fs status S`: each unit's index, machine, states, contents vs template, and the lock holder. */
export function serviceText(status: ServiceStatus, mode: OutputMode): string {
  const c = new Chalk({ level: mode.color ? 1 : 0 });
  if (status.units.length === 0) return `${status.service}: no units (no such service)\n`;
  const template = status.units.find((u) => u.role === 'template');
  const rows = status.units
    .filter((u) => u.role !== 'template')
    .map((u) => {
      const machine = u.machineID ? `${u.machineID.slice(0, 8)}/${u.primaryIP ?? '-'}` : '-';
      const systemd = u.systemd
        ? `${u.systemd.load ?? '-'}/${u.systemd.active ?? '-'}/${u.systemd.sub ?? '-'}`
        : '-';
      const active = u.systemd?.active === 'failed' ? c.red(systemd) : u.running ? c.green(systemd) : systemd;
      const contents = !template
        ? u.hash.slice(0, 7)
        : u.hash === template.hash
          ? `${u.hash.slice(0, 7)} =`
          : c.yellow(`${u.hash.slice(0, 7)} ≠`);
      const canary = u.canary ? c.cyan(' canary') : '';
      return [
        u.index !== undefined ? String(u.index) : '-',
        u.name,
        machine,
        u.currentState ?? '-',
        active,
        `${contents}${canary}`,
      ];
    });
  const lines: string[] = [];
  lines.push(
    `${c.bold(status.service)}: ${rows.length} unit(s)${template ? `, template ${template.hash.slice(0, 7)}` : ', no template'}`,
  );
  lines.push(table(['INDEX', 'UNIT', 'MACHINE', 'STATE', 'SYSTEMD', 'CONTENTS'], rows).trimEnd());
  if (status.lock) {
    const l = status.lock;
    lines.push(
      `lock: ${l.owner} on ${l.host} (pid ${l.pid}) until ${new Date(l.expiry).toISOString()}${l.expired ? c.yellow(' (expired)') : ''}`,
    );
  } else lines.push('lock: free');
  if (status.record) lines.push(`last rollout: ${recordText(status.record)}`);
  if (status.canaries && status.canaries.length > 0)
    lines.push(
      c.cyan(
        `canary: ${status.canaries.join(', ')} — fs promote ${status.service} rolls it out, fs rollback ${status.service} removes it`,
      ),
    );
  return `${lines.join('\n')}\n`;
}

/**
 * The last rollout in words. A rolled-back rollout names the contents it put back, not the
 * target it gave up on: `rolled-back to 1a2b3c4 (from 5d6e7f8)`.
 */
export function recordText(record: RolloutRecord): string {
  const target = record.target.hash.slice(0, 7);
  if (record.status === 'rolled-back') {
    const back = record.previous ? ` to ${record.previous.hash.slice(0, 7)}` : '';
    return `rolled-back${back} (from ${target})`;
  }
  return `${record.status} (to ${target})`;
}
