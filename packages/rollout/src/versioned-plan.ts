/**
 * planVersionedDeploy: pure. A blue-green deploy of version V of S (see versioned-view.ts): the new
 * version's units are started beside the previous versions', `batchSize` at a time, each waited
 * running and healthy (the executor's waits and health checks) before the next batch starts; the
 * previous versions' instance with the same index is destroyed as each new one is healthy
 * (`destroyPrevious: true`), or all once every new instance is (`'at-end'`), or never (`false`).
 *
 * Order:
 *   1. template `S-V@.service` (inactive), when missing;
 *   2. per chunk k of `batchSize` indexes (1..N): create (or start) S-V@i for i in chunk k, beside
 *      the destroy of the previous versions' instances of chunk k − 1 (those of chunk k − 1 run
 *      new contents by then: batches run in order, and a batch ends when its steps are healthy);
 *   3. the previous versions' instances of the last chunk, and those above N; (`'at-end'`: all of
 *      them here); S-V@i above N (a redeploy of V with a smaller count);
 *   4. the previous versions' templates.
 * Every destroy of a previous instance passes the capacity gate with the guarantee
 * min(N, instances of the serving version running now): an old instance goes only while that many
 * others run (new or old).
 *
 * Worked example: N = 3, batchSize 1, version a running a@1..3. Batches: 1 template b; 2 create
 * b@1; 3 create b@2 + destroy a@1 (b@1 is healthy); 4 create b@3 + destroy a@2; 5 destroy a@3;
 * 6 destroy a's template. Running instances never drop below 3.
 *
 * planVersionRecovery: pure. After a failure: the serving version's destroyed instances (and
 * template) created again, then every unit of the new version destroyed.
 */
import { InvalidSpecError } from './errors.js';
import { templateName, unitHash } from './fleet-helpers.js';
import { type Plan, type PlanStep, type PreviousContents, STEP_REASONS } from './plan.js';
import { type RolloutSpec, resolveSettings } from './spec.js';
import {
  servingVersion,
  type VersionSnapshot,
  type VersionView,
  versionedName,
  versionMarker,
  viewVersions,
  withVersionMarker,
} from './versioned-view.js';

/** When the previous versions go: per index as the new one is healthy, all at the end, or never. */
export type DestroyPrevious = boolean | 'at-end';

/** A versioned deploy: the RolloutSpec's settings that apply, and the version. */
export interface VersionedSpec
  extends Omit<
    RolloutSpec,
    'maxUnavailable' | 'maxSurge' | 'allowOutage' | 'machineAware' | 'replaceMode' | 'force' | 'onFailure'
  > {
  /** The version's name (`[A-Za-z0-9][A-Za-z0-9._]*`): units `S-<version>@1..N.service`. */
  version: string;
  /**
   * Instances of the new version started at once; the next batch starts when they are healthy.
   * @default 1
   */
  batchSize?: number;
  /** @default true */
  destroyPrevious?: DestroyPrevious;
}

type NewStep = Omit<PlanStep, 'id' | 'batch'>;

/** Steps numbered as they are added; each non-empty list is the next batch. */
function batcher(): { steps: PlanStep[]; addBatch: (list: NewStep[]) => void } {
  const steps: PlanStep[] = [];
  let batch = 0;
  return {
    steps,
    addBatch: (list) => {
      if (list.length === 0) return;
      batch += 1;
      for (const s of list) steps.push({ id: steps.length + 1, batch, ...s });
    },
  };
}

/** The summary of a versioned plan (nothing is replaced in place, no spares). */
function summaryOf(
  steps: readonly PlanStep[],
  unchanged: readonly string[],
  templateChanged: boolean,
): Plan['summary'] {
  return {
    create: steps.filter((s) => s.action === 'create' && s.role === 'instance').length,
    replace: 0,
    start: steps.filter((s) => s.action === 'start').length,
    unchanged: unchanged.length,
    remove: steps.filter((s) => s.action === 'destroy' && s.role !== 'template').length,
    surge: 0,
    templateChanged,
    batches: steps.at(-1)?.batch ?? 0,
  };
}

/** Plans made with this: the version and the previous contents are in their unit files. */
export function planVersionedDeploy(spec: VersionedSpec, snapshot: VersionSnapshot): Plan {
  const service = spec.service;
  const version = spec.version;
  const name = versionedName(service, version);
  const unitFile = withVersionMarker(spec.unitFile, service, version);
  const newHash = unitHash(unitFile);
  const views = viewVersions(snapshot);
  const mine = views.find((v) => v.version === version);
  if (mine && mine.hash !== newHash) {
    throw new InvalidSpecError([
      {
        field: 'unitFile',
        message: `version ${version} of ${service} already runs other contents (${mine.hash.slice(0, 7)}); deploy new contents under a new version`,
      },
    ]);
  }
  const serving = servingVersion(views, version, snapshot.record);
  const previous = views.filter((v) => v.version !== version);
  const notes: string[] = [];
  const count = spec.count ?? (serving?.instances.length || mine?.instances.length || 1);
  if (spec.count === undefined)
    notes.push(`count ${count} (not given: ${serving ? `version ${serving.version}'s` : 'default'})`);
  const guarantee = Math.min(count, serving?.running ?? 0);
  const settings = resolveSettings({
    ...spec,
    service: name,
    count,
    maxUnavailable: count - guarantee,
    replaceMode: 'recreate',
    onFailure: 'abort',
  });
  const destroyPrevious = spec.destroyPrevious ?? true;
  const batchSize = Math.max(1, spec.batchSize ?? 1);

  const { steps, addBatch } = batcher();
  if (!mine?.template) {
    addBatch([
      {
        action: 'create',
        role: 'template',
        unit: templateName(name),
        reason: STEP_REASONS.templateMissing,
        toHash: newHash,
        desiredState: 'inactive',
      },
    ]);
  }
  const mineByIndex = new Map(mine?.instances.map((i) => [i.index, i]));
  const unchanged: string[] = [];
  const adding = (index: number): NewStep[] => {
    const inst = mineByIndex.get(index);
    const unit = `${name}@${index}.service`;
    if (!inst)
      return [
        {
          action: 'create',
          role: 'instance',
          unit,
          index,
          reason: STEP_REASONS.scaleUp,
          toHash: newHash,
          desiredState: 'launched',
        },
      ];
    if (inst.running && inst.desiredState === 'launched') {
      unchanged.push(inst.name);
      return [];
    }
    return [
      {
        action: 'start',
        role: 'instance',
        unit,
        index,
        reason: STEP_REASONS.notRunning,
        fromHash: newHash,
        toHash: newHash,
        desiredState: 'launched',
        ...(inst.machineID ? { machineID: inst.machineID } : {}),
      },
    ];
  };
  const destroyOf = (views: readonly VersionView[], keep: (index: number) => boolean): NewStep[] =>
    views.flatMap((v) =>
      v.instances
        .filter((i) => !keep(i.index))
        .map(
          (i): NewStep => ({
            action: 'destroy',
            role: 'extra',
            unit: i.name,
            index: i.index,
            reason: v.version === version ? STEP_REASONS.aboveCount : STEP_REASONS.teardown,
            fromHash: i.hash,
            ...(i.machineID ? { machineID: i.machineID } : {}),
          }),
        ),
    );
  const chunks: number[][] = [];
  for (let i = 1; i <= count; i += batchSize)
    chunks.push(Array.from({ length: Math.min(batchSize, count - i + 1) }, (_, k) => i + k));
  const inChunk = (chunk: number[] | undefined) => (index: number) => chunk?.includes(index) === true;
  for (const [k, chunk] of chunks.entries()) {
    const before =
      destroyPrevious === true && k > 0 ? destroyOf(previous, (i) => !inChunk(chunks[k - 1])(i)) : [];
    addBatch([...chunk.flatMap(adding), ...before]);
  }
  const last = chunks.at(-1);
  const ending = [
    ...(destroyPrevious === true ? destroyOf(previous, (i) => i <= count && !inChunk(last)(i)) : []),
    ...(destroyPrevious === 'at-end' ? destroyOf(previous, () => false) : []),
    ...destroyOf(mine ? [mine] : [], (i) => i <= count),
  ];
  addBatch(ending);
  if (destroyPrevious !== false)
    addBatch(
      previous.flatMap((v): NewStep[] =>
        v.template
          ? [
              {
                action: 'destroy',
                role: 'template',
                unit: v.template.name,
                reason: STEP_REASONS.teardown,
                fromHash: v.template.hash,
              },
            ]
          : [],
      ),
    );

  notes.push(
    `version ${version} as ${name}@1..${count}; previous: ${previous.map((v) => v.version).join(', ') || 'none'} (destroyPrevious: ${String(destroyPrevious)})`,
  );
  const plan: Plan = {
    service,
    newHash,
    count,
    unitFile,
    settings,
    steps,
    unchanged,
    summary: summaryOf(steps, unchanged, !mine?.template),
    notes,
  };
  if (snapshot.serverVersion !== undefined) plan.serverVersion = snapshot.serverVersion;
  if (serving) {
    const prev: PreviousContents = {
      hash: serving.hash,
      options: serving.options,
      count: serving.instances.length,
    };
    plan.previous = prev;
    plan.previousHash = prev.hash;
  }
  return plan;
}

/**
 * After a failed versioned deploy: put the serving version back as it was (its destroyed template
 * and instances created again, stopped ones started), then destroy every unit of the new version.
 * Without a previous version it only destroys the new one (newHash '': a teardown).
 */
export function planVersionRecovery(forward: Plan, snapshot: VersionSnapshot): Plan {
  const version = versionMarker(forward.unitFile)?.version ?? '';
  const views = viewVersions(snapshot);
  const failed = views.find((v) => v.version === version);
  const prev = forward.previous;
  const prevVersion = prev ? versionMarker(prev.options)?.version : undefined;
  const restore = views.find((v) => v.version === prevVersion);
  const { steps, addBatch } = batcher();
  const unchanged: string[] = [];
  let running = 0;
  if (prev && prevVersion !== undefined) {
    const name = versionedName(forward.service, prevVersion);
    if (!restore?.template)
      addBatch([
        {
          action: 'create',
          role: 'template',
          unit: templateName(name),
          reason: STEP_REASONS.templateMissing,
          toHash: prev.hash,
          desiredState: 'inactive',
        },
      ]);
    const byIndex = new Map(restore?.instances.map((i) => [i.index, i]));
    const back: NewStep[] = [];
    for (let index = 1; index <= prev.count; index++) {
      const inst = byIndex.get(index);
      const unit = `${name}@${index}.service`;
      if (!inst)
        back.push({
          action: 'create',
          role: 'instance',
          unit,
          index,
          reason: STEP_REASONS.scaleUp,
          toHash: prev.hash,
          desiredState: 'launched',
        });
      else if (inst.hash === prev.hash && (!inst.running || inst.desiredState !== 'launched'))
        back.push({
          action: 'start',
          role: 'instance',
          unit,
          index,
          reason: STEP_REASONS.notRunning,
          fromHash: prev.hash,
          toHash: prev.hash,
          desiredState: 'launched',
        });
      else unchanged.push(inst.name);
    }
    addBatch(back);
    running =
      back.length + (restore?.instances.filter((i) => i.running && i.index <= prev.count).length ?? 0);
  }
  addBatch(
    (failed?.instances ?? []).map(
      (i): NewStep => ({
        action: 'destroy',
        role: 'extra',
        unit: i.name,
        index: i.index,
        reason: STEP_REASONS.teardown,
        fromHash: i.hash,
      }),
    ),
  );
  if (failed?.template)
    addBatch([
      {
        action: 'destroy',
        role: 'template',
        unit: failed.template.name,
        reason: STEP_REASONS.teardown,
        fromHash: failed.template.hash,
      },
    ]);
  const count = prev?.count ?? 0;
  return {
    service: forward.service,
    newHash: prev?.hash ?? '',
    count,
    unitFile: prev?.options ?? [],
    settings: {
      ...forward.settings,
      count,
      maxUnavailable: count - Math.min(count, running),
      onFailure: 'abort',
    },
    ...(forward.serverVersion ? { serverVersion: forward.serverVersion } : {}),
    steps,
    unchanged,
    summary: summaryOf(steps, unchanged, false),
    notes: [`recovery: version ${prevVersion ?? 'none'} kept serving, version ${version} stopped`],
  };
}
