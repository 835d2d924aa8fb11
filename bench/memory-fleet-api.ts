// An in-memory FleetApi that answers at once (one macrotask per call, as real I/O would): every unit
// PUT launched is at once launched, loaded and active with its hash. For measuring the engine's own
// bookkeeping at sizes the simulator would take minutes to schedule (100,000 instances).
import {
  type FleetApi,
  normalizeUnitOptions,
  type Unit,
  type UnitState,
  unitHash,
} from '@fleet-service/fleet-client';

const MACHINES = Array.from({ length: 7 }, (_, k) => ({
  id: `m${k}`,
  primaryIP: `10.0.0.${k + 1}`,
  metadata: {},
}));

export function memoryFleetApi(): { api: FleetApi; units: Map<string, Unit> } {
  const units = new Map<string, Unit>();
  let placed = 0;
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const api: Partial<FleetApi> = {
    async getUnit(name) {
      await tick();
      return units.get(name);
    },
    async createUnit(u) {
      await tick();
      const machineID = MACHINES[placed++ % MACHINES.length]!.id;
      const state = u.desiredState ?? 'launched';
      units.set(u.name, {
        name: u.name,
        options: normalizeUnitOptions(u.options),
        desiredState: state,
        currentState: state,
        ...(state === 'inactive' ? {} : { machineID }),
      });
      return { contentsWritten: true };
    },
    async setUnitTargetState(name, desiredState) {
      await tick();
      const u = units.get(name);
      if (u) Object.assign(u, { desiredState, currentState: desiredState });
    },
    async destroyUnit(name) {
      await tick();
      return units.delete(name);
    },
    async listUnitStates(filter) {
      await tick();
      const u = filter?.unitName ? units.get(filter.unitName) : undefined;
      if (!u?.machineID || u.currentState !== 'launched') return [];
      const state: UnitState = {
        name: u.name,
        machineID: u.machineID,
        hash: unitHash(u.options ?? []),
        systemdLoadState: 'loaded',
        systemdActiveState: 'active',
        systemdSubState: 'running',
      };
      return [state];
    },
    async listUnits() {
      await tick();
      return [...units.values()];
    },
    async listMachines() {
      await tick();
      return MACHINES;
    },
    async serverVersion() {
      return '1.0.0';
    },
  };
  return { api: api as FleetApi, units };
}
