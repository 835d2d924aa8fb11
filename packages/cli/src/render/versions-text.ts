import type { VersionedUnit } from '@fleet-service/rollout';

/** `fs status S` of a versioned service: one line per instance, by version. */
export function versionsText(units: readonly VersionedUnit[]): string {
  const rows = [['VERSION', 'INSTANCE', 'UNIT', 'STATE', 'RUNNING', 'MACHINE']];
  for (const u of units)
    rows.push([
      u.version,
      u.instance,
      u.unit,
      u.currentState ?? '-',
      u.running ? 'yes' : 'no',
      u.machineID?.slice(0, 8) ?? '-',
    ]);
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((c, k) => c.padEnd(widths[k]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
