/**
 * Versioned (blue-green) deploys, driven by the engine's runPlan (record, lock, events, `done`):
 *
 * - deployVersion: observe → planVersionedDeploy → lock → re-observe → re-plan → runPlan. When the
 *   new version fails (an instance fails, a wait or health check times out), the serving version
 *   is put back as it was and the new version stopped (planVersionRecovery, under the same lock and
 *   rolloutId, its events marked `phase: 'rollback'`): RolledBackError, or RollbackFailedError.
 *   A lost lock, a drift or an abort leaves both versions as they are (both serve).
 * - rollbackVersion: deploy the version the record says served before the last deploy.
 * - destroyVersion: shut one version down by name (deployster's DELETE …/deploys/{version}).
 * - observeVersions, listVersionedUnits: the versions and their units, every page of the listing;
 *   units of other services and unmarked units beside them are ignored.
 */
import { randomUUID } from 'node:crypto';
import { type FleetApi, systemClock } from '@fleet-service/fleet-client';
import {
  DriftError,
  InvalidSpecError,
  LockLostError,
  messageOf,
  NoRecordError,
  NoSuchServiceError,
  RollbackFailedError,
  RolledBackError,
} from './errors.js';
import { emit, type RolloutEvent, tagEvents } from './events.js';
import { executeSteps, type StepsRun } from './executor.js';
import type { LockHandle } from './lock.js';
import type { Plan, PlanStep } from './plan.js';
import { readRecord, writeRecord } from './record.js';
import {
  buildResult,
  emptyResult,
  type RolloutResult,
  replacedBy,
  resultError,
  withResult,
} from './result.js';
import { assertValidSpec, lockService, type RolloutDeps } from './rollout.js';
import { failBeforeRun, runPlan } from './run-plan.js';
import { resolveSettings, type SpecProblem } from './spec.js';
import { teardownPlan } from './teardown.js';
import { planVersionedDeploy, planVersionRecovery, type VersionedSpec } from './versioned-plan.js';
import {
  VERSION_PATTERN,
  type VersionSnapshot,
  versionedName,
  versionMarker,
  versionOfUnit,
  viewVersions,
} from './versioned-view.js';

/** Read the service's versioned units (every page), their `/state` entries and its record. */
export async function observeVersions(
  api: FleetApi,
  service: string,
  signal?: AbortSignal,
): Promise<VersionSnapshot> {
  const units = (await api.listUnits({ signal })).filter((u) => versionOfUnit(service, u) !== undefined);
  const names = new Set(units.map((u) => u.name));
  const states = units.some((u) => u.machineID)
    ? (await api.listUnitStates({}, { signal })).filter((s) => names.has(s.name ?? ''))
    : [];
  const snapshot: VersionSnapshot = { service, units, states };
  const record = await readRecord(api, service, signal);
  if (record) snapshot.record = record;
  const serverVersion = await api.serverVersion({ signal });
  if (serverVersion !== undefined) snapshot.serverVersion = serverVersion;
  return snapshot;
}

/** One unit of a versioned service, as deployster's `GET /v1/services/{name}/units` lists it. */
export interface VersionedUnit {
  service: string;
  /** The instance index, as text (`"1"`). */
  instance: string;
  version: string;
  unit: string;
  currentState?: string;
  desiredState?: string;
  machineID?: string;
  /** Running its contents now (`/state`: loaded, active). */
  running: boolean;
}

/** Every instance of every version of `service`, by version then index. */
export async function listVersionedUnits(
  api: FleetApi,
  service: string,
  signal?: AbortSignal,
): Promise<VersionedUnit[]> {
  const snapshot = await observeVersions(api, service, signal);
  const currentOf = new Map(snapshot.units.map((u) => [u.name, u.currentState]));
  return viewVersions(snapshot).flatMap((v) =>
    v.instances.map((i) => ({
      service,
      instance: String(i.index),
      version: v.version,
      unit: i.name,
      ...(currentOf.get(i.name) ? { currentState: currentOf.get(i.name)! } : {}),
      ...(i.desiredState ? { desiredState: i.desiredState } : {}),
      ...(i.machineID ? { machineID: i.machineID } : {}),
      running: i.running,
    })),
  );
}

/** Every problem with a versioned spec (the RolloutSpec's checks on `S-V`, and the version's). */
export function validateVersionedSpec(spec: VersionedSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (typeof spec.version !== 'string' || !VERSION_PATTERN.test(spec.version))
    problems.push({
      field: 'version',
      message: `version must match ${VERSION_PATTERN}, got ${JSON.stringify(spec.version)}`,
    });
  if (spec.batchSize !== undefined && (!Number.isSafeInteger(spec.batchSize) || spec.batchSize < 1))
    problems.push({
      field: 'batchSize',
      message: `batchSize must be an integer ≥ 1, got ${JSON.stringify(spec.batchSize)}`,
    });
  if (spec.destroyPrevious !== undefined && ![true, false, 'at-end'].includes(spec.destroyPrevious))
    problems.push({
      field: 'destroyPrevious',
      message: `destroyPrevious must be true, false or 'at-end', got ${JSON.stringify(spec.destroyPrevious)}`,
    });
  if (problems.length > 0) return problems;
  try {
    assertValidSpec({ ...spec, service: versionedName(spec.service, spec.version) });
  } catch (error) {
    return [...((error as InvalidSpecError).problems ?? [{ field: 'spec', message: messageOf(error) }])];
  }
  return [];
}

/**
 * Deploy version `spec.version` of `spec.service` beside the versions running (see
 * versioned-plan.ts). Resolves with the result; rejects with a RolloutError, `error.result` attached.
 */
export async function deployVersion(spec: VersionedSpec, deps: RolloutDeps): Promise<RolloutResult> {
  const problems = validateVersionedSpec(spec);
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return drive(
    spec.service,
    deps,
    spec.lock,
    (snapshot) => planVersionedDeploy(spec, snapshot),
    spec.healthChecks,
  );
}

/** Deploy again the version the record says served before the last deploy. */
export async function rollbackVersion(
  service: string,
  deps: RolloutDeps & { spec?: Partial<VersionedSpec> },
): Promise<RolloutResult> {
  const record = await readRecord(deps.api, service, deps.signal);
  const previous = record?.previous;
  const version = versionMarker(previous?.options)?.version;
  if (!previous || version === undefined) throw new NoRecordError(service);
  const { spec: partial, ...rest } = deps;
  return deployVersion(
    { ...partial, service, version, unitFile: previous.options, count: partial?.count ?? previous.count },
    rest,
  );
}

/** Shut version `version` of `service` down: its instances (highest first), then its template. */
export async function destroyVersion(
  service: string,
  version: string,
  deps: RolloutDeps & { spec?: Partial<VersionedSpec> },
): Promise<RolloutResult> {
  const name = versionedName(service, version);
  const settings = resolveSettings({ ...deps.spec, service: name, unitFile: [] });
  return drive(service, deps, deps.spec?.lock, (snapshot) => {
    const view = viewVersions(snapshot).find((v) => v.version === version);
    if (!view) throw new NoSuchServiceError(name);
    const names = new Set([...view.instances.map((i) => i.name), view.template?.name]);
    const units = { service: name, units: snapshot.units.filter((u) => names.has(u.name)), states: [] };
    const notes = [`shut down version ${version} of ${service}`];
    return { ...teardownPlan(units, settings, { notes }), service };
  });
}

/** observe → plan → (lock → observe → plan) → runPlan, with the versioned recovery on failure. */
async function drive(
  service: string,
  deps: RolloutDeps,
  lockOptions: VersionedSpec['lock'],
  planOf: (snapshot: VersionSnapshot) => Plan,
  healthChecks = deps.healthChecks,
): Promise<RolloutResult> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const rolloutId = deps.rolloutId ?? randomUUID();
  const onEvent = tagEvents(deps.onEvent, { service, rolloutId });
  let lock: LockHandle | undefined;
  let plan: Plan;
  let snapshot: VersionSnapshot;
  const before = (caught: unknown) =>
    failBeforeRun(caught, { service, signal: deps.signal, clock, started, onEvent, lock });
  try {
    snapshot = await observeVersions(deps.api, service, deps.signal);
    plan = planOf(snapshot);
  } catch (caught) {
    throw await before(caught);
  }
  if (deps.dryRun) {
    emit(onEvent, clock.now(), { type: 'plan', plan });
    return emptyResult(service, 'unchanged', started, clock, {
      hash: plan.newHash,
      unchanged: plan.unchanged,
    });
  }
  const base = { ...deps, clock, rolloutId, startedAt: started, ...(healthChecks ? { healthChecks } : {}) };
  if (plan.steps.length === 0) return runPlan(plan, { ...base, record: snapshot.record ?? null });
  try {
    lock = await lockService(service, lockOptions, { ...deps, clock, rolloutId });
    snapshot = await observeVersions(deps.api, service, deps.signal);
    plan = planOf(snapshot);
  } catch (caught) {
    throw await before(caught);
  }
  // runPlan must neither release the lock nor say `done` before a recovery ran
  const held = lock;
  const kept: LockHandle = Object.create(held, { release: { value: async () => {} } });
  let done: RolloutEvent | undefined;
  const hold = (e: RolloutEvent) => {
    if (e.type === 'done') done = e;
    else deps.onEvent?.(e);
  };
  try {
    return await runPlan(plan, { ...base, lock: kept, record: snapshot.record ?? null, onEvent: hold });
  } catch (caught) {
    const recoverable =
      plan.newHash !== '' &&
      !(caught instanceof LockLostError) &&
      !(caught instanceof DriftError) &&
      !deps.signal?.aborted;
    if (!recoverable) throw caught;
    done = undefined;
    throw await recover(caught, plan, { ...base, lock: held, onEvent });
  } finally {
    await held.release();
    if (done) deps.onEvent?.(done);
  }
}

/** The failure of a versioned deploy: serving version back, new version stopped; the error to throw. */
async function recover(
  cause: unknown,
  forward: Plan,
  run: RolloutDeps & {
    lock: LockHandle;
    onEvent: ReturnType<typeof tagEvents>;
    startedAt: number;
    rolloutId: string;
  },
): Promise<unknown> {
  const clock = run.clock ?? systemClock;
  const toHash = forward.previous?.hash ?? '';
  const forwardDone = ((cause as { result?: RolloutResult }).result?.completedSteps ?? []) as PlanStep[];
  emit(run.onEvent, clock.now(), {
    type: 'rollback-started',
    reason: messageOf(cause),
    error: resultError(cause),
    toHash,
  });
  let back: Plan | undefined;
  let steps: StepsRun = { completed: [], attempted: [], aborted: false };
  let failure: unknown;
  try {
    back = planVersionRecovery(forward, await observeVersions(run.api, forward.service, run.lock.signal));
    const onEvent = tagEvents(run.onEvent, {
      service: forward.service,
      rolloutId: run.rolloutId,
      phase: 'rollback',
    });
    steps = await executeSteps(back, {
      api: run.api,
      clock,
      lock: run.lock,
      ...(onEvent ? { onEvent } : {}),
      ...(run.healthChecks ? { healthChecks: run.healthChecks } : {}),
    });
    failure = steps.error;
  } catch (error) {
    failure = error;
  }
  const rolledBack = replacedBy(steps.completed).concat(
    steps.completed.filter((s) => s.action === 'create' && s.role === 'instance').map((s) => s.unit),
  );
  const outcome = failure === undefined ? 'rolled-back' : 'rollback-failed';
  const error =
    failure === undefined
      ? new RolledBackError(forward.service, cause)
      : new RollbackFailedError(forward.service, cause, failure);
  emit(
    run.onEvent,
    clock.now(),
    failure === undefined
      ? { type: 'rollback-finished', toHash, rolledBack }
      : { type: 'rollback-failed', toHash, rolledBack, error: resultError(failure) },
  );
  const result: RolloutResult = {
    ...buildResult(
      back ?? forward,
      outcome,
      [...forwardDone, ...steps.completed],
      run.startedAt,
      clock,
      error,
    ),
    hash: toHash,
    replaced: [],
    rolledBack,
    ...(failure === undefined ? {} : { rollbackError: resultError(failure) }),
  };
  const record = await readRecord(run.api, forward.service).catch(() => undefined);
  if (record)
    await writeRecord(run.api, forward.service, { ...record, status: outcome, updated: clock.now() }).catch(
      () => {},
    );
  emit(run.onEvent, clock.now(), {
    type: 'done',
    result: { ...result, durationMs: clock.now() - run.startedAt },
  });
  return withResult(error, result);
}
