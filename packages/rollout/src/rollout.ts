/**
 * rollout: validate → lock → observe → plan → record → execute → record → unlock.
 * rollbackService: roll the recorded previous contents out again.
 */
import { hostname } from 'node:os';
import { type Clock, systemClock } from '@fleet-service/fleet-client';
import { InvalidSpecError, NoRecordError, RolloutAbortedError, UnsupportedUnitError } from './errors.js';
import { emit } from './events.js';
import { type ExecuteDeps, executeInternal } from './executor.js';
import { acquireLock, type LockHandle } from './lock.js';
import { observeCluster } from './observe.js';
import { planRollout } from './planner.js';
import { readRecord, writeRecord } from './record.js';
import { type RolloutResult, resultError, withResult } from './result.js';
import type { RolloutRecord } from './snapshot.js';
import type { RolloutSpec } from './spec.js';
import { validateSpec } from './validate-spec.js';
import { retryTransient } from './wait.js';

export interface RolloutDeps extends ExecuteDeps {
  /** Shown in the lock. @default os.hostname() */
  host?: string;
  /** Shown in the lock. @default 0 (the library does not read process state; the CLI passes process.pid) */
  pid?: number;
  /** Observe and plan (emitting `plan`), change nothing; resolves with outcome `unchanged` and no steps. */
  dryRun?: boolean;
}

/** Throw the right error for a spec's problems, if any. */
export function assertValidSpec(spec: RolloutSpec): void {
  const problems = validateSpec(spec);
  if (problems.length === 0) return;
  const unsupported = problems.filter((p) => p.kind === 'unsupported');
  if (unsupported.length === problems.length) throw new UnsupportedUnitError(unsupported);
  throw new InvalidSpecError(problems);
}

/** Take the service's lock with the spec's lock settings. */
export function lockFor(
  spec: Pick<RolloutSpec, 'service' | 'lock'>,
  deps: RolloutDeps,
  clock: Clock,
): Promise<LockHandle> {
  return acquireLock(deps.api, clock, spec.service, {
    owner: spec.lock?.owner ?? 'fs',
    host: deps.host ?? hostname(),
    pid: deps.pid ?? 0,
    ...(spec.lock?.ttlMs !== undefined ? { ttlMs: spec.lock.ttlMs } : {}),
    ...(spec.lock?.steal !== undefined ? { steal: spec.lock.steal } : {}),
    ...(spec.lock?.settleMs !== undefined ? { settleMs: spec.lock.settleMs } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
  });
}

const STATUS_OF: Record<RolloutResult['outcome'], RolloutRecord['status']> = {
  succeeded: 'succeeded',
  unchanged: 'succeeded',
  'rolled-back': 'rolled-back',
  paused: 'paused',
  aborted: 'aborted',
  failed: 'failed',
};

/**
 * Roll `spec` out. Resolves with the result when every instance runs the new contents; rejects with
 * a RolloutError (or a FleetError) otherwise — after the `done` event — with `error.result` attached.
 */
export async function rollout(spec: RolloutSpec, deps: RolloutDeps): Promise<RolloutResult> {
  assertValidSpec(spec);
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  if (deps.dryRun) {
    const plan = planRollout(
      spec,
      await observeCluster(deps.api, spec.service, { ...(deps.signal ? { signal: deps.signal } : {}) }),
    );
    emit(deps.onEvent, clock.now(), { type: 'plan', plan });
    return {
      service: spec.service,
      outcome: 'unchanged',
      hash: plan.newHash,
      replaced: [],
      unchanged: plan.unchanged,
      added: [],
      removed: [],
      keptSpares: [],
      durationMs: clock.now() - started,
      completedSteps: [],
    };
  }
  let lock: LockHandle | undefined;
  let recorded: RolloutRecord | undefined;
  let final: RolloutResult | undefined;
  try {
    lock = await lockFor(spec, deps, clock);
    const snapshot = await observeCluster(deps.api, spec.service, {
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const plan = planRollout(spec, snapshot);
    const last = snapshot.record;
    if (
      plan.steps.length === 0 &&
      last &&
      last.target.hash === plan.newHash &&
      last.status !== 'succeeded' &&
      last.status !== 'rolled-back'
    ) {
      // an earlier run finished the work but died before saying so
      await retryTransient(clock, () =>
        writeRecord(deps.api, spec.service, { ...last, status: 'succeeded', updated: clock.now() }),
      );
    }
    if (plan.steps.length > 0) {
      recorded = {
        status: 'in-progress',
        updated: clock.now(),
        owner: lock.info.owner,
        target: { hash: plan.newHash, count: plan.count },
        ...(plan.previous ? { previous: plan.previous } : {}),
      };
      const record = recorded;
      await retryTransient(clock, () => writeRecord(deps.api, spec.service, record));
    }
    const execDeps = spec.healthChecks ? { ...deps, healthChecks: spec.healthChecks } : deps;
    const result = await executeInternal(plan, execDeps, { lock, startedAt: started, deferDone: true });
    final = result;
    if (recorded) await saveStatus(deps, clock, spec.service, recorded, result);
    return result;
  } catch (caught) {
    let error = caught;
    if (deps.signal?.aborted && caught === deps.signal.reason) {
      // aborted before any step ran (lock, observe, record)
      error = new RolloutAbortedError(spec.service, [], caught);
    }
    let result = (error as { result?: RolloutResult }).result;
    if (!result) {
      // failed before executing (lock, observe, record): no step ran
      result = {
        service: spec.service,
        outcome: error instanceof RolloutAbortedError ? 'aborted' : 'failed',
        hash: '',
        replaced: [],
        unchanged: [],
        added: [],
        removed: [],
        keptSpares: [],
        durationMs: clock.now() - started,
        completedSteps: [],
        error: resultError(error),
      };
      withResult(error, result);
    }
    final = result;
    if (recorded) await saveStatus(deps, clock, spec.service, recorded, result);
    throw error;
  } finally {
    await lock?.release();
    if (final)
      emit(deps.onEvent, clock.now(), {
        type: 'done',
        result: { ...final, durationMs: clock.now() - started },
      });
  }
}

async function saveStatus(
  deps: RolloutDeps,
  clock: Clock,
  service: string,
  record: RolloutRecord,
  result: RolloutResult,
) {
  const next: RolloutRecord = { ...record, status: STATUS_OF[result.outcome], updated: clock.now() };
  await retryTransient(clock, () => writeRecord(deps.api, service, next), undefined, 8).catch(() => {});
}

/**
 * `fs rollback S`: roll the previous contents kept in the record back out, with the spec's strategy
 * (count defaults to the previous count). Rolling back twice returns to where you started.
 */
export async function rollbackService(
  service: string,
  deps: RolloutDeps & { spec?: Partial<RolloutSpec> },
): Promise<RolloutResult> {
  const record = await readRecord(deps.api, service, deps.signal);
  if (!record?.previous || record.previous.options.length === 0) throw new NoRecordError(service);
  const { spec: partial, ...rest } = deps;
  return rollout(
    {
      ...partial,
      service,
      unitFile: record.previous.options,
      count: partial?.count ?? (record.previous.count > 0 ? record.previous.count : record.target.count),
    },
    rest,
  );
}
