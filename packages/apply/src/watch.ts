/**
 * watchApply: apply, then keep applying every `intervalMs` until the signal stops it. Each run
 * re-reads the sources (an unchanged source costs a 304), observes the cluster once and applies
 * what differs. A difference in a service whose entry did not change since it was last applied is
 * drift (a unit changed, stopped or removed by hand): it is put back and reported, or only
 * reported with `revertDrift: false`. A service whose rollout failed is not retried until its entry
 * changes. Errors (source unreachable, fleet down, even a bad file) are reported and retried with
 * backoff; the loop never ends for them. Stopping (the signal) lets the services in flight stop
 * safely, their locks released.
 */
import { type Clock, normalizeUnitOptions, systemClock, unitHash } from '@fleet-service/fleet-client';
import { type ApplyDeps, type ApplyOptions, planCluster } from './apply.js';
import type { DesiredService } from './desired.js';
import { DesiredStateError, EmptyDesiredStateError } from './errors.js';
import { loadDesiredState } from './load/load-desired.js';
import { type SourceOptions, SourceReader } from './load/source.js';
import type { ServicePlan } from './plan/apply-plan.js';
import { executeApply } from './run/execute-apply.js';
import { type ApplyResult, errorSummary, type ServiceOutcome } from './run/result.js';

export interface WatchOptions extends Omit<ApplyOptions, 'dryRun' | 'reader' | 'desired'> {
  /** Time between runs, ms. */
  intervalMs: number;
  /** Put drifted units back (else only report them). @default true */
  revertDrift?: boolean;
  /** First retry delay after an error, ms; doubles up to `intervalMs`. @default 5_000 */
  retryInitialMs?: number;
  /** Throw when the FIRST run finds the file invalid (later runs report and retry). @default true */
  failOnInvalidStart?: boolean;
  /** Stop after this many runs (tests, cron-like use). @default unlimited */
  maxRuns?: number;
  /** How the sources are fetched (timeouts, retries). */
  source?: Omit<SourceOptions, 'signal'>;
}

export interface WatchDeps extends ApplyDeps {
  /** Each finished run's result (also emitted as `watch-run`); the next run waits for it. */
  onRun?: (result: ApplyResult, run: number) => void | Promise<void>;
}

/** What a desired service amounts to: changes when its entry (contents, count, sidekick, state) does. */
export function entryFingerprint(d: DesiredService): string {
  const sk = d.sidekick ? unitHash(normalizeUnitOptions(d.sidekick.unitFile)) : '';
  return `${unitHash(normalizeUnitOptions(d.unitFile))}:${d.count}:${d.desiredState}:${sk}`;
}

/** Resolves when `deps.signal` aborts (or after `maxRuns`). */
export async function watchApply(opts: WatchOptions, deps: WatchDeps): Promise<void> {
  const clock: Clock = deps.clock ?? systemClock;
  const reader = new SourceReader({ ...opts.source, ...(deps.signal ? { signal: deps.signal } : {}) });
  const applied = new Map<string, string>();
  const failed = new Map<string, string>();
  const emit = deps.onEvent;
  let failures = 0;
  for (let run = 1; opts.maxRuns === undefined || run <= opts.maxRuns; run++) {
    if (deps.signal?.aborted) return;
    let wait = opts.intervalMs;
    try {
      const desired = await loadDesiredState({
        ...opts,
        reader,
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
      const { observation, plan } = await planCluster(desired, deps, opts);
      const skip = new Map<string, ServiceOutcome['outcome']>();
      for (const s of plan.services) {
        if (!s.desired || s.phase === 0) continue;
        const fp = entryFingerprint(s.desired);
        if (failed.get(s.service) === fp) {
          skip.set(s.service, 'skipped');
          continue;
        }
        if (applied.get(s.service) === fp) {
          const reverted = opts.revertDrift !== false;
          emit?.({ type: 'drift', time: clock.now(), service: s.service, units: driftedUnits(s), reverted });
          if (!reverted) skip.set(s.service, 'drift-reported');
        }
      }
      emit?.({ type: 'apply-plan', time: clock.now(), plan });
      let result: ApplyResult;
      try {
        result = await executeApply(plan, { ...deps, clock, skip, clusterUnits: observation.units.length });
      } catch (error) {
        const attached = (error as { result?: ApplyResult }).result;
        if (!attached) throw error;
        result = attached;
      }
      for (const o of result.services) {
        const d = plan.services.find((s) => s.service === o.service)?.desired;
        if (!d) continue;
        if (o.outcome === 'succeeded' || o.outcome === 'unchanged') {
          applied.set(o.service, entryFingerprint(d));
          failed.delete(o.service);
        } else if (o.failureClass && o.failureClass !== 'interrupted')
          failed.set(o.service, entryFingerprint(d));
      }
      failures = 0;
      await deps.onRun?.(result, run);
      emit?.({
        type: 'watch-run',
        time: clock.now(),
        run,
        changed: result.services.some((o) => o.outcome === 'succeeded' || o.outcome === 'removed'),
        sourceUnchanged: desired.unchanged,
        ok: result.ok,
        nextAt: clock.now() + wait,
      });
    } catch (error) {
      if (deps.signal?.aborted) return;
      const invalid = error instanceof DesiredStateError || error instanceof EmptyDesiredStateError;
      if (run === 1 && invalid && opts.failOnInvalidStart !== false) throw error;
      failures++;
      wait = Math.min(opts.intervalMs, (opts.retryInitialMs ?? 5_000) * 2 ** (failures - 1));
      emit?.({ type: 'watch-error', time: clock.now(), run, error: errorSummary(error), retryInMs: wait });
    }
    if (opts.maxRuns !== undefined && run >= opts.maxRuns) return;
    try {
      await clock.sleep(wait, deps.signal);
    } catch {
      return;
    }
  }
}

/** The units a drifted service's plan touches. */
function driftedUnits(s: ServicePlan): string[] {
  const units = new Set<string>();
  for (const p of [s.plan, s.sidekick?.plan]) for (const step of p?.steps ?? []) units.add(step.unit);
  return [...units];
}
