/**
 * planPlainUnit: pure. A plain (non-instanced) unit — coco's `count: 0` entries such as
 * `deployer.service` or `backup.timer` — as a rollout Plan the engine's driver runs: create it when
 * missing; when its contents differ, destroy then create (fleet cannot change a unit's options in
 * place before 0.13, and a plain unit has no second instance to keep serving); when only its
 * desiredState differs, set it. A plain unit is not waited on to run (coco did not either), and a
 * failure is never rolled back (`onFailure: 'abort'`).
 */
import {
  type JobState,
  normalizeUnitOptions,
  serializeUnitFile,
  type Unit,
  type UnitOption,
  unitHash,
} from '@fleet-service/fleet-client';
import {
  type Plan,
  type PlanStep,
  type ResolvedSettings,
  recordUnitName,
  STEP_REASONS,
} from '@fleet-service/rollout';

export interface PlainUnitTarget {
  service: string;
  name: string;
  /** Absent: the unit is to be removed. */
  unitFile?: UnitOption[];
  desiredState?: JobState;
}

type NewStep = Omit<PlanStep, 'id' | 'batch'>;

export function planPlainUnit(
  target: PlainUnitTarget,
  current: Unit | undefined,
  settings: ResolvedSettings,
  opts: { removeRecord?: boolean } = {},
): Plan {
  const unitFile = target.unitFile ? normalizeUnitOptions(target.unitFile) : [];
  const newHash = target.unitFile ? unitHash(unitFile) : '';
  const currentHash = current ? unitHash(current.options ?? []) : undefined;
  const desiredState = target.desiredState ?? 'launched';
  const batches: NewStep[][] = [];
  const destroy: NewStep = {
    action: 'destroy',
    role: 'non-instanced',
    unit: target.name,
    reason: target.unitFile ? STEP_REASONS.hashChanged : STEP_REASONS.teardown,
    ...(currentHash ? { fromHash: currentHash } : {}),
  };
  const create: NewStep = {
    action: 'create',
    role: 'non-instanced',
    unit: target.name,
    reason: current ? STEP_REASONS.hashChanged : STEP_REASONS.scaleUp,
    toHash: newHash,
    desiredState,
  };
  if (!target.unitFile) {
    if (current) batches.push([destroy]);
    if (opts.removeRecord)
      batches.push([
        {
          action: 'destroy',
          role: 'record',
          unit: recordUnitName(target.service),
          reason: STEP_REASONS.teardown,
        },
      ]);
  } else if (!current) batches.push([create]);
  else if (currentHash !== newHash) batches.push([destroy], [create]);
  else if (current.desiredState !== desiredState)
    batches.push([{ ...create, reason: STEP_REASONS.notRunning, fromHash: currentHash }]);

  const steps: PlanStep[] = [];
  batches.forEach((batch, k) => {
    for (const s of batch) steps.push({ id: steps.length + 1, batch: k + 1, ...s });
  });
  const plan: Plan = {
    service: target.service,
    newHash,
    count: 0,
    unitFile,
    settings: { ...settings, count: 0, maxUnavailable: 0, onFailure: 'abort' },
    steps,
    unchanged: steps.length === 0 && current ? [target.name] : [],
    summary: {
      create: current ? 0 : steps.filter((s) => s.action === 'create').length,
      replace: current && currentHash !== newHash && target.unitFile ? 1 : 0,
      start: 0,
      unchanged: steps.length === 0 && current ? 1 : 0,
      remove: target.unitFile ? 0 : current ? 1 : 0,
      surge: 0,
      templateChanged: false,
      batches: batches.length,
    },
    notes: [`plain unit ${target.name} (not instanced: no rolling update)`],
  };
  if (current && currentHash) {
    plan.previous = { hash: currentHash, options: current.options ?? [], count: 0 };
    plan.previousHash = currentHash;
    if (currentHash !== newHash)
      plan.diff = {
        from: serializeUnitFile(current.options ?? []),
        to: target.unitFile ? serializeUnitFile(unitFile) : '',
      };
  }
  return plan;
}
