/**
 * apply: load the desired state → observe the whole cluster ONCE → planApply (pure) → run each
 * service's plan (executeApply). `dryRun` stops after the plan: nothing is locked or changed.
 */
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import { type ClusterObservation, observeClusterState } from '@fleet-service/rollout';
import type { DesiredState } from './desired.js';
import { type LoadOptions, loadDesiredState } from './load/load-desired.js';
import type { ApplyPlan } from './plan/apply-plan.js';
import { type PlanApplyOptions, planApply } from './plan/plan-apply.js';
import { type ExecuteApplyDeps, executeApply } from './run/execute-apply.js';
import type { ApplyResult } from './run/result.js';

export interface ApplyOptions extends LoadOptions, PlanApplyOptions {
  /** Plan and report, change nothing (no lock either). @default false */
  dryRun?: boolean;
  /** An already loaded desired state (then no source is read). */
  desired?: DesiredState;
}

export interface ApplyDeps extends Omit<ExecuteApplyDeps, 'api'> {
  api: FleetApi;
}

/** One observation and the plan made from it. */
export async function planCluster(
  desired: DesiredState,
  deps: { api: FleetApi; signal?: AbortSignal },
  opts: PlanApplyOptions = {},
): Promise<{ observation: ClusterObservation; plan: ApplyPlan }> {
  const observation = await observeClusterState(deps.api, deps.signal ? { signal: deps.signal } : {});
  return { observation, plan: planApply(desired, observation, opts) };
}

export async function apply(opts: ApplyOptions, deps: ApplyDeps): Promise<ApplyResult> {
  const clock: Clock = deps.clock ?? systemClock;
  const started = clock.now();
  const desired =
    opts.desired ?? (await loadDesiredState({ ...opts, ...(deps.signal ? { signal: deps.signal } : {}) }));
  const { observation, plan } = await planCluster(desired, deps, opts);
  deps.onEvent?.({ type: 'apply-plan', time: clock.now(), plan });
  if (opts.dryRun) {
    return { ok: true, dryRun: true, plan, services: [], durationMs: clock.now() - started };
  }
  return executeApply(plan, { ...deps, clock, clusterUnits: observation.units.length });
}
