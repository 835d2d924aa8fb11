// @fleet-service/fleet-client: the public surface. Each section is owned by the module it names.

// --- wire types and the FleetApi interface
export type {
  FleetErrorBody,
  JobState,
  Machine,
  MachinePage,
  MetadataOp,
  Unit,
  UnitOption,
  UnitPage,
  UnitState,
  UnitStatePage,
} from './types.js';
export { JOB_STATES, isJobState } from './types.js';
export type {
  CallOptions,
  CreateUnitRequest,
  CreateUnitResult,
  DestroyUnitOptions,
  FleetApi,
  MachineMetadataChange,
  UnitStateFilter,
} from './fleet-api.js';

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';

// --- unit names, unit files, hashing, option validation (pure)
// (section: pure core)

// --- HTTP client, endpoints, errors
// (section: http)
