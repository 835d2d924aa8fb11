// @fleet-service/rollout: the public surface.

export {
  classifyError,
  classifyOutcome,
  ERROR_CLASSES,
  type FailureClass,
  findFailureClass,
} from './classify.js';
export {
  type ClusterObservation,
  isServiceUnit,
  type ObserveClusterOptions,
  observeClusterState,
  snapshotOf,
} from './cluster-observation.js';
export { type DestroyOptions, type DestroyResult, destroyService } from './destroy.js';
export { explainUnschedulable } from './diagnose.js';
export type { RolloutErrorCode, WaitPhase } from './errors.js';
export {
  DriftError,
  HookFailedError,
  InstanceFailedError,
  InvalidSpecError,
  isRolloutError,
  LockHeldError,
  LockLostError,
  NoCanaryError,
  NoRecordError,
  NoSuchServiceError,
  PausedError,
  ProgressDeadlineError,
  ROLLOUT_ERROR_CODES,
  RollbackFailedError,
  RolledBackError,
  RolloutAbortedError,
  RolloutError,
  StateTimeoutError,
  UnsupportedUnitError,
} from './errors.js';
export type {
  EventInput,
  EventListener,
  EventTags,
  RolloutEvent,
  RolloutEventType,
  SystemdView,
} from './events.js';
export { checksVia } from './health-check.js';
export { type LockHandle, type LockTakeover, lockState } from './lock.js';
export { type ObserveOptions, observeCluster, observeUnits } from './observe.js';
export { keepPerMachine } from './per-machine.js';
export type {
  HookName,
  Plan,
  PlanStep,
  PlanSummary,
  PreviousContents,
  StepAction,
  StepReason,
  StepRole,
} from './plan.js';
export { STEP_REASONS } from './plan.js';
export { planRollout } from './planner.js';
export { rolledTo } from './record.js';
export { lockUnitName, recordUnitName, reservedUnitOwner } from './reserved-units.js';
export type { ResultError, RolloutOutcome, RolloutResult } from './result.js';
export { planRollback } from './rollback-plan.js';
export {
  assertValidSpec,
  type LockServiceDeps,
  lockService,
  promoteService,
  type RolloutDeps,
  rollbackService,
  rollout,
} from './rollout.js';
export { type RunPlanDeps, runPlan } from './run-plan.js';
export type { ClusterSnapshot, InstanceView, LockInfo, RolloutRecord, ServiceView } from './snapshot.js';
export { viewService } from './snapshot.js';
export type {
  FailurePolicy,
  HealthCheck,
  HealthCheckConnect,
  HealthCheckContext,
  HookContext,
  HookSettings,
  Hooks,
  LifecycleHook,
  LockOptions,
  ReplaceMode,
  ReplaceModeSetting,
  ResolvedSettings,
  RolloutSpec,
  SpecProblem,
  Timeouts,
} from './spec.js';
export { DEFAULTS, failureBudget, resolveSettings } from './spec.js';
export {
  isSharedStateApi,
  type SharedReadStats,
  type SharedStateApi,
  shareStateReads,
} from './state-reads.js';
export {
  describeService,
  type InstanceStatus,
  listServices,
  type ServiceStatus,
  type ServiceSummary,
  type StatusOptions,
} from './status.js';
export {
  asOneshot,
  MAX_TASK_COMMAND,
  runTask,
  TASK_TIMEOUT_EXIT,
  type TaskDeps,
  type TaskResult,
  type TaskSpec,
  taskCommandProblem,
  taskUnitName,
  withTaskCommand,
} from './task.js';
export { planTeardown, teardownPlan } from './teardown.js';
export { isGlobalUnitFile, outageProblems, validateSpec } from './validate-spec.js';
export {
  deployVersion,
  destroyVersion,
  listVersionedUnits,
  observeVersions,
  rollbackVersion,
  type VersionedUnit,
  validateVersionedSpec,
} from './versioned.js';
export {
  type DestroyPrevious,
  planVersionedDeploy,
  planVersionRecovery,
  type VersionedSpec,
} from './versioned-plan.js';
export {
  servingVersion,
  VERSION_PATTERN,
  VERSION_SECTION,
  type VersionSnapshot,
  type VersionView,
  versionedName,
  versionMarker,
  versionOfUnit,
  versionSnapshotOf,
  viewVersions,
  withVersionMarker,
} from './versioned-view.js';
