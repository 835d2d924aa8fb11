/**
 * Why a unit is not scheduled: compares its [X-Fleet] requirements with the live machines
 * (fleet-api.md §11.4). Used when the `launched` wait runs out with no machineID.
 */
import type { FleetApi, Machine, UnitOption } from '@fleet-service/fleet-client';
import { parseRequirements } from './fleet-helpers.js';

/** Pure part: which requirement no live machine satisfies, in words; `undefined` if none stands out. */
export function explainUnschedulable(
  unit: string,
  options: readonly UnitOption[],
  machines: readonly Machine[],
): string | undefined {
  if (machines.length === 0) return 'no live machine in the cluster';
  const req = parseRequirements(options, unit);
  const wanted = Object.entries(req.machineMetadata);
  if (wanted.length > 0) {
    const fits = machines.some((m) => wanted.every(([k, vs]) => vs.includes(m.metadata?.[k] ?? '\u0000')));
    if (!fits) {
      const text = wanted.flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)).join(' ');
      return `no machine satisfies MachineMetadata=${text} (machines: ${machines
        .map(
          (m) =>
            `${(m.id ?? '?').slice(0, 8)}{${Object.entries(m.metadata ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(',')}}`,
        )
        .join(' ')})`;
    }
  }
  const machineID = req.machineID;
  if (machineID && !machines.some((m) => m.id === machineID || m.id?.startsWith(machineID))) {
    return `no live machine has MachineID=${machineID}`;
  }
  const conflicts = req.conflicts;
  if (conflicts.length > 0)
    return `every eligible machine may be blocked by Conflicts=${conflicts.join(' ')}`;
  return undefined;
}

/** Live diagnosis for an unscheduled unit: reads /machines and the MachineOf peers. */
export async function diagnoseUnschedulable(
  api: FleetApi,
  unit: string,
  options: readonly UnitOption[],
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (const peer of parseRequirements(options, unit).machineOf) {
    const p = await api.getUnit(peer, { signal });
    if (!p?.machineID) return `MachineOf=${peer}: ${peer} is not scheduled on any machine`;
  }
  return explainUnschedulable(unit, options, await api.listMachines({ signal }));
}
