/**
 * One service of an apply: take its lock, re-observe it under the lock (the whole-cluster
 * observation the plan came from was made without it), re-plan from that, and hand the plan to the
 * engine's driver (`runPlan`: record, failure policy, rollback, `done`). The drift checks of every
 * step protect what happens after that. A sidekick's lock is taken first and held across the main
 * rollout (whose steps update the sidekick instances), then its own plan runs for what is left
 * (its template, instances the main rollout did not touch).
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import {
  checksVia,
  classifyError,
  deployVersion,
  type HealthCheck,
  type HealthCheckConnect,
  type LockHandle,
  type LockOptions,
  lockService,
  observeClusterState,
  type Plan,
  planRollout,
  type RolloutEvent,
  type RolloutResult,
  type RolloutSpec,
  resolveSettings,
  runPlan,
  snapshotOf,
  teardownPlan,
} from '@fleet-service/rollout';
import type { ServicePlan } from '../plan/apply-plan.js';
import { planPlainUnit } from '../plan/plain-plan.js';
import { plainOrphanUnit } from '../plan/plan-apply.js';
import { errorSummary, type ServiceOutcome } from './result.js';
import { sidekickCheck } from './sidekick-check.js';

export interface ServiceRunDeps {
  api: FleetApi;
  clock?: Clock;
  signal?: AbortSignal;
  onEvent?: (event: RolloutEvent) => void;
  /** Lock settings for every service (owner, ttl, steal, isHolderAlive). */
  lock?: LockOptions;
  /** Shown in the locks. */
  host?: string;
  pid?: number;
  /** How HTTP and TCP health checks reach the machines (an SSH tunnel, a SOCKS proxy). @default direct */
  healthCheckConnect?: HealthCheckConnect;
}

export async function runService(sp: ServicePlan, deps: ServiceRunDeps): Promise<ServiceOutcome> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const locks: LockHandle[] = [];
  const lock = async (service: string, rolloutId: string) => {
    const handle = await lockService(service, deps.lock, {
      api: deps.api,
      clock,
      rolloutId,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
      ...(deps.host ? { host: deps.host } : {}),
      ...(deps.pid ? { pid: deps.pid } : {}),
    });
    locks.push(handle);
    return handle;
  };
  /** Locks handed to runPlan, which releases them. */
  const handed = new Set<LockHandle>();
  const run = (plan: Plan, handle: LockHandle, rolloutId: string, healthChecks?: readonly HealthCheck[]) => {
    handed.add(handle);
    return runPlan(plan, {
      api: deps.api,
      clock,
      lock: handle,
      rolloutId,
      startedAt: clock.now(),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
      ...(healthChecks && healthChecks.length > 0
        ? { healthChecks: checksVia(healthChecks, deps.healthCheckConnect) }
        : {}),
    });
  };
  const outcome = (o: Omit<ServiceOutcome, 'service' | 'action' | 'durationMs'>): ServiceOutcome => ({
    service: sp.service,
    action: sp.action,
    ...o,
    durationMs: clock.now() - started,
  });
  let main: RolloutResult | undefined;
  try {
    if (sp.versioned) {
      // deployVersion takes the lock, re-observes and re-plans under it, and runs the plan itself
      const checks = sp.versioned.healthChecks;
      const result = await deployVersion(
        {
          ...sp.versioned,
          ...(checks ? { healthChecks: checksVia(checks, deps.healthCheckConnect) } : {}),
          ...(deps.lock ? { lock: deps.lock } : {}),
        },
        {
          api: deps.api,
          clock,
          ...(deps.signal ? { signal: deps.signal } : {}),
          ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
          ...(deps.host ? { host: deps.host } : {}),
          ...(deps.pid ? { pid: deps.pid } : {}),
        },
      );
      return outcome({ outcome: result.outcome, result });
    }
    if (sp.kind === 'template' && sp.spec) {
      const rolloutId = randomUUID();
      const skId = randomUUID();
      const sk = sp.sidekick && sp.desired?.sidekick;
      const skLock = sp.sidekick ? await lock(sp.sidekick.spec.service, skId) : undefined;
      const own = await lock(sp.service, rolloutId);
      const plan = await replan(deps, sp.spec, deps.signal);
      const checks = [...(sp.spec.healthChecks ?? []), ...(sk ? [sidekickCheck(deps.api, sk)] : [])];
      main = await run(plan, own, rolloutId, checks);
      let sidekick: RolloutResult | undefined;
      if (sp.sidekick && skLock) {
        const skPlan = await replan(deps, sp.sidekick.spec, deps.signal);
        sidekick = await run(skPlan, skLock, skId, sp.sidekick.spec.healthChecks);
      }
      const changed = main.outcome === 'succeeded' || sidekick?.outcome === 'succeeded';
      return outcome({
        outcome: changed ? 'succeeded' : main.outcome,
        result: main,
        ...(sidekick ? { sidekick } : {}),
      });
    }
    const rolloutId = randomUUID();
    const handle = await lock(sp.service, rolloutId);
    const plan = await replanOther(sp, deps);
    const result = await run(plan, handle, rolloutId);
    return outcome({ outcome: sp.action === 'remove' ? 'removed' : result.outcome, result });
  } catch (error) {
    // runPlan released its lock; a lock taken for a plan that never ran is released here
    await Promise.all(locks.filter((l) => !handed.has(l)).map((l) => l.release().catch(() => {})));
    const result = (error as { result?: RolloutResult }).result;
    const err = errorSummary(error);
    return outcome({
      outcome: result?.outcome ?? 'failed',
      ...(main ? { result: main } : result ? { result } : {}),
      ...(main && result ? { sidekick: result } : {}),
      error: err,
      failureClass: classifyError(error),
    });
  }
}

/** Observe one service under its lock (`/state` of its own units only) and plan it again. */
async function replan(deps: ServiceRunDeps, spec: RolloutSpec, signal?: AbortSignal): Promise<Plan> {
  // the planner does not use the machine list (the executor reads it when a health check needs it)
  const observation = await observeClusterState(deps.api, {
    services: [spec.service],
    machines: false,
    ...(signal ? { signal } : {}),
  });
  return planRollout(spec, snapshotOf(observation, spec.service));
}

/** A plain unit, or a removal, planned again from a fresh read under the lock. */
async function replanOther(sp: ServicePlan, deps: ServiceRunDeps): Promise<Plan> {
  const signal = deps.signal;
  const settings = resolveSettings({
    service: sp.service,
    unitFile: sp.desired?.unitFile ?? [],
    ...sp.desired?.strategy,
  });
  if (sp.kind === 'plain' && sp.desired) {
    const current = await deps.api.getUnit(sp.desired.name, signal ? { signal } : {});
    return planPlainUnit(
      {
        service: sp.service,
        name: sp.desired.name,
        unitFile: sp.desired.unitFile,
        desiredState: sp.desired.desiredState,
      },
      current,
      settings,
    );
  }
  // a removal, from a fresh read
  const plain = plainOrphanUnit(sp.units);
  if (plain) {
    const current = await deps.api.getUnit(plain, signal ? { signal } : {});
    return planPlainUnit({ service: sp.service, name: plain }, current, settings, { removeRecord: true });
  }
  const observation = await observeClusterState(deps.api, {
    services: [sp.service],
    ...(signal ? { signal } : {}),
  });
  return teardownPlan(snapshotOf(observation, sp.service), settings, {
    includeRecord: true,
    notes: ['prune: not in the file'],
  });
}
