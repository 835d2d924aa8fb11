/**
 * Builds notices from a rollout's event stream, for a front end that runs the engine: feed it every
 * RolloutEvent, ask for the `started` notice when the plan arrives, and for the outcome notice when
 * the engine call settled. It remembers the plan (version, image, hash), the rollback's plan (the
 * version put back) and the last failed instance. Pure: no I/O, no clock.
 */
import type { DestroyResult, Plan, ResultError, RolloutEvent, RolloutResult } from '@fleet-service/rollout';
import { eventOfOutcome, type NoticeFailure, type RolloutNotice } from './notice.js';
import { imageOf, versionOf } from './unit-version.js';

export interface NoticeContext {
  /** What runs: `create`, `rollback`, `destroy`, `apply`, … */
  action: string;
  /** The service, until an event names it. */
  service: string;
  /** Who runs it. */
  user?: string;
  host?: string;
}

/** How the engine call ended: its result (resolved, or the error's `result`) and/or its error. */
export interface EngineSettled {
  result?: RolloutResult | DestroyResult | undefined;
  error?: unknown;
  /** The exit code the front end decided. */
  exitCode?: number;
  /** The failed instance with more detail than its event had (e.g. the machine's IP). */
  failure?: NoticeFailure | undefined;
}

export interface NoticeTracker {
  /** Feed every event of the rollout. */
  onEvent(event: RolloutEvent): void;
  /** The `started` notice, once the rollout's own plan (with steps) was seen; else undefined. */
  started(): RolloutNotice | undefined;
  /** The outcome notice. */
  finished(settled: EngineSettled): RolloutNotice;
}

export function createNoticeTracker(context: NoticeContext): NoticeTracker {
  let plan: Plan | undefined;
  let rollbackPlan: Plan | undefined;
  let failure: NoticeFailure | undefined;
  let rolloutId: string | undefined;
  let service = context.service;

  const base = (): Omit<RolloutNotice, 'event'> => {
    const unit = plan?.unitFile ?? [];
    const image = imageOf(unit);
    const hash = plan?.newHash ?? '';
    return {
      action: context.action,
      service,
      version: versionOf(unit) ?? hash,
      ...(image ? { image } : {}),
      hash,
      replaced: 0,
      added: 0,
      removed: 0,
      ...(context.user ? { user: context.user } : {}),
      ...(context.host ? { host: context.host } : {}),
      ...(rolloutId ? { rolloutId } : {}),
    };
  };

  return {
    onEvent(event) {
      service = event.service;
      rolloutId = event.rolloutId;
      if (event.type === 'plan') {
        if (event.phase === 'rollback') rollbackPlan = event.plan;
        else plan = event.plan;
      } else if (event.type === 'instance-failed' && event.phase !== 'rollback') {
        failure = {
          unit: event.unit,
          diagnosis: event.diagnosis,
          ...(event.systemd ? { systemd: { ...event.systemd } } : {}),
          ...(event.machineID ? { machineID: event.machineID } : {}),
        };
      }
    },
    started() {
      if (!plan || plan.steps.length === 0) return undefined;
      return { event: 'started', ...base(), replaced: 0 };
    },
    finished(settled) {
      const result = settled.result ?? (settled.error as { result?: EngineSettled['result'] })?.result;
      const notice: RolloutNotice = { event: 'failed', ...base() };
      if (result && isRolloutResult(result)) {
        notice.event = eventOfOutcome(result.outcome);
        notice.outcome = result.outcome;
        if (!plan) notice.hash = result.hash;
        if (!plan) notice.version = result.hash;
        notice.replaced = result.replaced.length;
        notice.added = result.added.length;
        notice.removed = result.removed.length;
        if (result.error) notice.error = { ...result.error };
        if (rollbackPlan && result.outcome === 'rolled-back') {
          notice.rolledBackTo = versionOf(rollbackPlan.unitFile) ?? rollbackPlan.newHash;
        }
      } else if (result) {
        notice.event = settled.error === undefined ? 'succeeded' : 'failed';
        if (settled.error === undefined) notice.outcome = 'destroyed';
        notice.removed = result.removed.length;
      }
      if (result) {
        notice.durationMs = result.durationMs;
        notice.result = result;
      }
      if (settled.error !== undefined && !notice.error) notice.error = errorOf(settled.error);
      const failed = settled.failure ?? failure;
      if (failed && notice.event !== 'succeeded' && notice.event !== 'unchanged') notice.failure = failed;
      if (settled.exitCode !== undefined) notice.exitCode = settled.exitCode;
      return notice;
    },
  };
}

function isRolloutResult(r: RolloutResult | DestroyResult): r is RolloutResult {
  return typeof (r as { outcome?: unknown }).outcome === 'string';
}

function errorOf(error: unknown): ResultError {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; unit?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.unit === 'string' ? { unit: e.unit } : {}),
  };
}
