/**
 * executeApply: run a whole-cluster plan. Phases in order (1: create and scale up, 2: update,
 * 3: scale down and remove — capacity is added before contents change, and taken away last);
 * within a phase up to `parallel` services at once, each under its own lock (run-service.ts).
 * One service failing does not stop the others unless `failFast`: then no further service starts
 * and those in flight are stopped the engine's safe way (their AbortSignal: capacity kept).
 * Unchanged and missing services cost no request. The waits of every service in flight share their
 * `/state` reads (the engine's state-reads.ts, wrapped once here): four services each waiting on an
 * instance cost one listing per poll, not four reads.
 */
import { setMaxListeners } from 'node:events';
import { type Clock, systemClock } from '@fleet-service/fleet-client';
import { type LockOptions, shareStateReads } from '@fleet-service/rollout';
import { worstFailureClass } from '../error-classes.js';
import { ApplyFailedError, FailFastError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { ApplyPlan, ServicePlan } from '../plan/apply-plan.js';
import type { ApplyEventListener, ApplyResult, ServiceOutcome } from './result.js';
import { runService, type ServiceRunDeps } from './run-service.js';

export interface ExecuteApplyDeps {
  api: ServiceRunDeps['api'];
  /** @default systemClock */
  clock?: Clock;
  /** Stop: no further service starts; services in flight stop safely. */
  signal?: AbortSignal;
  /** Every event: apply's own and the engine's (tagged with their service). */
  onEvent?: ApplyEventListener;
  /**
   * Called once per service when its outcome is known (succeeded, failed, removed, unchanged, …):
   * the place to notify about it.
   */
  onServiceDone?: (outcome: ServiceOutcome) => void | Promise<void>;
  /** Services rolled out at once. @default 4 */
  parallel?: number;
  /** Stop everything after the first failure. @default false */
  failFast?: boolean;
  /** Lock settings for every service. */
  lock?: LockOptions;
  host?: string;
  pid?: number;
  /** How HTTP and TCP health checks reach the machines (an SSH tunnel, a SOCKS proxy). @default direct */
  healthCheckConnect?: ServiceRunDeps['healthCheckConnect'];
  /** Services whose drift is only reported (watch with revertDrift false): skipped. */
  skip?: ReadonlyMap<string, ServiceOutcome['outcome']>;
  /** Units in the cluster when observed: prices the shared `/state` listing. @default unknown (per-unit reads) */
  clusterUnits?: number;
}

/** Resolves with the result when every service ran as planned; rejects with ApplyFailedError (result attached) otherwise. */
export async function executeApply(plan: ApplyPlan, deps: ExecuteApplyDeps): Promise<ApplyResult> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const emit = deps.onEvent;
  const api = shareStateReads(deps.api, deps.clusterUnits);
  const stop = new AbortController();
  // every service in flight listens to it (its lock, its waits): a few listeners per service
  setMaxListeners(Math.max(10, (deps.parallel ?? 4) * 8), stop.signal);
  const onOuterAbort = () => stop.abort(deps.signal?.reason);
  if (deps.signal?.aborted) onOuterAbort();
  deps.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const outcomes = new Map<string, ServiceOutcome>();
  const done = async (o: ServiceOutcome) => {
    outcomes.set(o.service, o);
    emit?.({ type: 'service-finished', time: clock.now(), service: o.service, outcome: o });
    await deps.onServiceDone?.(o);
  };
  let failedOnce = false;
  try {
    for (const s of plan.services.filter((s) => s.phase === 0)) {
      await done({
        service: s.service,
        action: s.action,
        outcome: s.action === 'missing' ? 'left-alone' : 'unchanged',
        durationMs: 0,
      });
    }
    for (const phase of [1, 2, 3] as const) {
      const batch = plan.services.filter((s) => s.phase === phase);
      await mapLimit(batch, deps.parallel ?? 4, async (s: ServicePlan) => {
        const skipAs = deps.skip?.get(s.service);
        if (skipAs || stop.signal.aborted) {
          await done({ service: s.service, action: s.action, outcome: skipAs ?? 'skipped', durationMs: 0 });
          return;
        }
        emit?.({ type: 'service-started', time: clock.now(), service: s.service, action: s.action });
        const outcome = await runService(s, {
          api,
          clock,
          signal: stop.signal,
          ...(emit ? { onEvent: emit } : {}),
          ...(deps.lock ? { lock: deps.lock } : {}),
          ...(deps.host ? { host: deps.host } : {}),
          ...(deps.pid ? { pid: deps.pid } : {}),
          ...(deps.healthCheckConnect ? { healthCheckConnect: deps.healthCheckConnect } : {}),
        });
        if (outcome.failureClass) {
          failedOnce = true;
          if (deps.failFast) stop.abort(new FailFastError(s.service));
        }
        await done(outcome);
      });
    }
  } finally {
    deps.signal?.removeEventListener('abort', onOuterAbort);
  }
  const services = plan.services.map((s) => outcomes.get(s.service)!).filter(Boolean);
  // a service stopped by --fail-fast was interrupted by us, not by the user: the failure that
  // stopped it decides
  const userStopped = deps.signal?.aborted ?? false;
  const failureClass = worstFailureClass(
    services.map((s) => (s.failureClass === 'interrupted' && !userStopped ? undefined : s.failureClass)),
  );
  const result: ApplyResult = {
    ok: !failedOnce && failureClass === undefined,
    dryRun: false,
    plan,
    services,
    ...(failureClass ? { failureClass } : {}),
    durationMs: clock.now() - started,
  };
  emit?.({ type: 'apply-done', time: clock.now(), result });
  if (!result.ok) throw new ApplyFailedError(result, worstError(services, failureClass));
  return result;
}

/** The error of the service whose class decides (the cause an exit code is derived from). */
function worstError(services: ServiceOutcome[], cls: string | undefined): unknown {
  const s = services.find((o) => o.failureClass === cls) ?? services.find((o) => o.error);
  return s?.error;
}
