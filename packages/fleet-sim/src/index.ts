// @fleet-service/fleet-sim: a fleet v1.0 cluster in one process, faithful on the wire.

export type { ManualClockOptions } from './clock/manual-clock.js';
export { ManualClock } from './clock/manual-clock.js';
export {
  FLEET_SIM_ERROR_CODES,
  FleetSimError,
  isFleetSimError,
  SimClosedError,
  SimOptionsError,
  SimUnknownMachineError,
  SimWaitTimeoutError,
} from './errors.js';
export type { ApiFaultSpec, FaultSpec, UnitFaultSpec, UnitMatch } from './faults/fault-spec.js';
export type { Timeline } from './observe/timeline.js';
export type { RequestLogEntry, TimelineEvent, TimelineEventKind } from './observe/types.js';
export type { FleetSimOptions, MachineSpec, SimTimings } from './options.js';
export { DEFAULT_TIMINGS } from './options.js';
export type { Range } from './random.js';
export type { FleetSim, SimCluster, SimMachine, SimUnitView } from './sim.js';
export { startFleetSim } from './sim.js';
