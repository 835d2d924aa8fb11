import type { UnitOption } from '@fleet-service/fleet-client';
import { ManualClock } from '../clock/manual-clock.js';
import type { FleetSimOptions } from '../options.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { get, put, raw } from './raw-http.js';

/** A simulator on a ManualClock plus helpers that speak raw HTTP to it. */
export interface Fixture {
  sim: FleetSim;
  clock: ManualClock;
  launch(name: string, options: UnitOption[], desiredState?: string): Promise<number>;
  setState(name: string, desiredState: string): Promise<number>;
  destroy(name: string): Promise<number>;
  unit(name: string): Promise<Record<string, unknown> | undefined>;
  states(query?: string): Promise<Record<string, string>[]>;
  /** Where each unit is scheduled (machineID or undefined). */
  placement(): Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function fixture(options: FleetSimOptions = {}): Promise<Fixture> {
  const clock = new ManualClock(0);
  const sim = await startFleetSim({ clock, ...options });
  return {
    sim,
    clock,
    async launch(name, opts, desiredState = 'launched') {
      return (await put(sim, name, { desiredState, options: opts })).status;
    },
    async setState(name, desiredState) {
      return (await put(sim, name, { desiredState })).status;
    },
    async destroy(name) {
      return (await raw(sim, { method: 'DELETE', path: `/fleet/v1/units/${encodeURIComponent(name)}` }))
        .status;
    },
    async unit(name) {
      const r = await get(sim, `/units/${encodeURIComponent(name)}`);
      return r.status === 200 ? (JSON.parse(r.body) as Record<string, unknown>) : undefined;
    },
    async states(query = '') {
      const r = await get(sim, `/state${query}`);
      return (JSON.parse(r.body) as { states?: Record<string, string>[] }).states ?? [];
    },
    placement() {
      return Object.fromEntries(sim.cluster.units().map((u) => [u.name, u.machineID]));
    },
    close: () => sim.close(),
  };
}

export const svc = (exec = '/bin/sleep 1000'): UnitOption => ({
  section: 'Service',
  name: 'ExecStart',
  value: exec,
});
export const xf = (name: string, value: string): UnitOption => ({ section: 'X-Fleet', name, value });
