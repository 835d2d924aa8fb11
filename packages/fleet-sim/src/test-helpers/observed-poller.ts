import type { ManualClock } from '../clock/manual-clock.js';
import type { FleetSim } from '../sim.js';
import { send } from './observed-replay.js';

/** One change seen by polling, like the rows of the fleet-observed timeline tables. */
export interface ObservedRow {
  /** Milliseconds after the poll started (the transcripts' t = 0 is when the PUT/DELETE returned). */
  t: number;
  unit: string;
  resource: '/units' | '/state';
  /** `desired=… current=… machineID=…` or `load/active/sub@machine hash`, or `(absent)`. */
  value: string;
}

interface UnitWire {
  name: string;
  desiredState?: string;
  currentState?: string;
  machineID?: string;
}
interface StateWire {
  name: string;
  machineID?: string;
  hash?: string;
  systemdLoadState?: string;
  systemdActiveState?: string;
  systemdSubState?: string;
}

/**
 * Poll GET /units and GET /state every `everyMs` of clock time for `forMs`, as the transcripts were
 * recorded (every 50 ms), and return the changes for the named units.
 */
export async function pollRows(
  sim: FleetSim,
  clock: ManualClock,
  units: string[],
  forMs: number,
  everyMs = 50,
): Promise<ObservedRow[]> {
  const rows: ObservedRow[] = [];
  const last = new Map<string, string>();
  const note = (t: number, unit: string, resource: ObservedRow['resource'], value: string) => {
    const key = `${unit} ${resource}`;
    if (last.get(key) === value) return;
    last.set(key, value);
    rows.push({ t, unit, resource, value });
  };
  const start = clock.now();
  for (;;) {
    const t = clock.now() - start;
    const u = await send(sim, { method: 'GET', path: '/fleet/v1/units' });
    const s = await send(sim, { method: 'GET', path: '/fleet/v1/state' });
    if (u.closed || s.closed) throw new Error('poll failed');
    const unitList = (JSON.parse(u.body) as { units?: UnitWire[] }).units ?? [];
    const stateList = (JSON.parse(s.body) as { states?: StateWire[] }).states ?? [];
    for (const name of units) {
      const unit = unitList.find((x) => x.name === name);
      note(
        t,
        name,
        '/units',
        unit
          ? `desired=${unit.desiredState} current=${unit.currentState} machineID=${unit.machineID ?? '-'}`
          : '(absent)',
      );
      const states = stateList.filter((x) => x.name === name);
      note(
        t,
        name,
        '/state',
        states.length === 0
          ? '(absent)'
          : states
              .map(
                (x) =>
                  `${x.systemdLoadState}/${x.systemdActiveState}/${x.systemdSubState}@${x.machineID} ${x.hash}`,
              )
              .join(' '),
      );
    }
    if (t >= forMs) return rows;
    await clock.advance(everyMs);
  }
}

/** The first time a row for `unit`/`resource` whose value includes `fragment` was seen. */
export function firstSeen(
  rows: ObservedRow[],
  unit: string,
  resource: ObservedRow['resource'],
  fragment: string,
): number | undefined {
  return rows.find((r) => r.unit === unit && r.resource === resource && r.value.includes(fragment))?.t;
}

/** The sequence of values one unit showed on one resource. */
export const valuesOf = (rows: ObservedRow[], unit: string, resource: ObservedRow['resource']): string[] =>
  rows.filter((r) => r.unit === unit && r.resource === resource).map((r) => r.value);
