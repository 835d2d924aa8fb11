// @fleet-service/apply: the public surface.

export { type ApplyDeps, type ApplyOptions, apply, planCluster } from './apply.js';
export type { DesiredService, DesiredState, StrategySettings } from './desired.js';
export {
  APPLY_CLASS_PRECEDENCE,
  APPLY_ERROR_CLASSES,
  type ApplyFailureClass,
  worstFailureClass,
} from './error-classes.js';
export {
  APPLY_ERROR_CODES,
  ApplyError,
  type ApplyErrorCode,
  ApplyFailedError,
  DesiredStateError,
  type DesiredStateProblem,
  EmptyDesiredStateError,
  FailFastError,
  formatProblem,
  isApplyError,
  isDesiredStateError,
  isSourceError,
  SourceError,
} from './errors.js';
export { type LoadOptions, loadDesiredState, servicesFileOf } from './load/load-desired.js';
export { renderUnitText } from './load/render-unit.js';
export { durationMs } from './load/schema.js';
export { isHttpUrl, resolveRef, type SourceOptions, SourceReader, type SourceText } from './load/source.js';
export { type ApplyPlan, PHASE_OF, type ServiceAction, type ServicePlan } from './plan/apply-plan.js';
export { planPlainUnit } from './plan/plain-plan.js';
export {
  type PlanApplyOptions,
  planApply,
  servicesInCluster,
  sidekickSpecOf,
  specOf,
  versionedSpecOf,
} from './plan/plan-apply.js';
export { type ExecuteApplyDeps, executeApply } from './run/execute-apply.js';
export type {
  ApplyEvent,
  ApplyEventListener,
  ApplyLifecycleEvent,
  ApplyResult,
  ServiceOutcome,
  ServiceOutcomeKind,
} from './run/result.js';
export { sidekickCheck } from './run/sidekick-check.js';
export { entryFingerprint, type WatchDeps, type WatchOptions, watchApply } from './watch.js';
