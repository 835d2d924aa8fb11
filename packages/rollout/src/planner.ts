/**
 * planRollout: pure. From a spec and a snapshot to an ordered plan; no clock, no I/O.
 *
 * Order (capacity first):
 *   1. template `S@.service` (inactive), only when missing or different;
 *   2. capacity-adding steps, ALL IN ONE BATCH, ascending index: create missing indexes 1..N (fresh
 *      create, scale up) and start instances that already have the new contents but are not running
 *      (resume). Adding an instance takes no capacity away (nothing serves on those indexes), so
 *      `maxUnavailable + maxSurge` does not apply: like fleet, a fresh create launches the N
 *      instances together. The executor bounds how many steps are in flight (`maxParallel`);
 *   3. replace instances that are down anyway (not running: replacing them costs no capacity),
 *      `maxUnavailable + maxSurge` at a time;
 *   4. surge: create spare indexes above every existing index;
 *   5. replace running instances, `maxUnavailable + spares` at a time, ascending index (or grouped by
 *      machine, one per machine per batch, with `machineAware`);
 *   6. destroy indexes above N (spares included), highest first, `maxUnavailable + maxSurge` at a time;
 *   7. destroy `S.service` and non-indexed instances — only now, when the new capacity runs.
 *
 * Worked example: N = 4, maxUnavailable = 1, maxSurge = 1, instances 1–4 running the old hash.
 * Batch size = 1 + 1 = 2. Batch 1 template; batch 2 create spare S@5 (running: 5); batch 3 replace
 * 1, 2 (running ≥ 5 − 2 = 3 = N − maxUnavailable); batch 4 replace 3, 4; batch 5 destroy S@5.
 * With maxUnavailable = 0 the batch size is 1 and running never drops below N = 4.
 * The same with count 6 (scale up): batch 2 creates S@5 and S@6 together (new indexes, nothing
 * serves there yet); batch 3 the spare S@7; batches 4, 5 replace 1, 2 and 3, 4; batch 6 destroys
 * S@7. A fresh create of N = 4 is two batches: the template, then S@1..4 together.
 */

import { canarySteps } from './canary-plan.js';
import { InvalidSpecError } from './errors.js';
import {
  instanceName,
  normalizeUnitOptions,
  serializeUnitFile,
  templateName,
  unitHash,
} from './fleet-helpers.js';
import { markHooks } from './hook-marks.js';
import { assignPins, type Pin, perMachineBase } from './per-machine.js';
import { type Plan, type PlanStep, type PlanSummary, type PreviousContents, STEP_REASONS } from './plan.js';
import { supportsContentReplace } from './server-version.js';
import { type ClusterSnapshot, type InstanceView, type ServiceView, viewService } from './snapshot.js';
import { DEFAULTS, failureBudget, type ReplaceMode, type RolloutSpec, resolveSettings } from './spec.js';

type NewStep = Omit<PlanStep, 'id' | 'batch'>;

/** Compute the plan. Assumes `validateSpec(spec)` returned no problems. */
export function planRollout(spec: RolloutSpec, snapshot: ClusterSnapshot): Plan {
  const settings = resolveSettings(spec);
  const service = spec.service;
  // per machine: the template holds the contents without Global=, each instance adds its MachineID=
  const unitFile = settings.perMachine ? perMachineBase(spec.unitFile) : normalizeUnitOptions(spec.unitFile);
  const newHash = unitHash(unitFile);
  const view = viewService({ ...snapshot, service });
  const notes: string[] = [];
  const pins = settings.perMachine ? machinePins(unitFile, view, snapshot, settings, notes) : undefined;
  const N = pins ? pins.size : planCount(spec, view, notes, snapshot.record);
  settings.count = N;
  /** The contents index `index` must have: the new hash, or per machine its pinned form. */
  const hashAt = (index: number) => pins?.get(index)?.hash ?? newHash;
  const pinAt = (index: number) => {
    const pin = pins?.get(index);
    return pin ? { pinnedTo: pin.machineID } : {};
  };
  settings.maxFailures = failureBudget(spec.maxFailures, N);

  const canReplace = supportsContentReplace(snapshot.serverVersion);
  let mode: ReplaceMode =
    settings.replaceMode === 'auto' ? (canReplace ? 'in-place' : 'recreate') : settings.replaceMode;
  if (mode === 'in-place' && !canReplace) {
    mode = 'recreate';
    notes.push(
      `replaceMode in-place needs fleet ≥ 0.13 (server reports ${snapshot.serverVersion ?? 'no version'}); using recreate`,
    );
  }

  const steps: PlanStep[] = [];
  let batch = 0;
  const addBatch = (list: NewStep[]) => {
    if (list.length === 0) return;
    batch += 1;
    for (const s of list) steps.push({ id: steps.length + 1, batch, ...s });
  };
  const batchSize = Math.max(1, settings.maxUnavailable + settings.maxSurge);

  const previous = previousContents(snapshot, view, newHash);
  const assemble = (unchanged: string[], summary: Omit<PlanSummary, 'batches' | 'canary'>): Plan => {
    markHooks(steps, settings.hooks);
    const plan: Plan = {
      service,
      newHash,
      count: N,
      unitFile,
      settings: { ...settings, replaceMode: mode },
      steps,
      unchanged,
      summary: { ...summary, canary: canary.created.length, batches: batch },
      notes,
    };
    if (canary.plan) plan.canary = canary.plan;
    if (pins)
      plan.perMachine = [...pins].map(([index, pin]) => ({
        unit: instanceName(service, index),
        machineID: pin.machineID,
      }));
    if (snapshot.serverVersion !== undefined) plan.serverVersion = snapshot.serverVersion;
    if (previous) {
      plan.previous = previous;
      plan.previousHash = previous.hash;
      if (previous.hash !== newHash) {
        plan.diff = { from: serializeUnitFile(previous.options), to: serializeUnitFile(unitFile) };
      }
    }
    return plan;
  };

  // 0. canary: new contents on extra indexes beside the N serving instances, nothing taken down
  const canary = canarySteps(settings, view, { service, N, newHash, notes });
  for (const b of canary.batches) addBatch(b);
  if (canary.plan && canary.plan.autoPromoteMs === undefined) {
    // stop here (outcome `canary`): promote rolls the rest out, rollback removes the canaries
    const serving = view.instances.filter((i) => i.index <= N).map((i) => i.name);
    return assemble(serving, {
      create: 0,
      replace: 0,
      start: 0,
      unchanged: serving.length,
      remove: 0,
      surge: 0,
      templateChanged: false,
    });
  }

  // 1. template
  const tName = templateName(service);
  if (!view.template) {
    addBatch([
      {
        action: 'create',
        role: 'template',
        unit: tName,
        reason: STEP_REASONS.templateMissing,
        toHash: newHash,
        desiredState: 'inactive',
      },
    ]);
  } else if (view.template.hash !== newHash) {
    addBatch([
      {
        action: 'replace',
        role: 'template',
        unit: tName,
        reason: STEP_REASONS.templateChanged,
        fromHash: view.template.hash,
        toHash: newHash,
        desiredState: 'inactive',
      },
    ]);
  }

  // classify indexes 1..N
  const byIndex = new Map(view.instances.map((i) => [i.index, i]));
  const adding: NewStep[] = [];
  const replaceDown: InstanceView[] = [];
  const replaceUp: InstanceView[] = [];
  const unchanged: string[] = [];
  for (let index = 1; index <= N; index++) {
    const inst = byIndex.get(index);
    if (!inst) {
      adding.push({
        action: 'create',
        role: 'instance',
        unit: instanceName(service, index),
        index,
        reason: STEP_REASONS.scaleUp,
        toHash: hashAt(index),
        desiredState: 'launched',
        ...pinAt(index),
      });
    } else if (inst.hash !== hashAt(index) || settings.force) {
      (inst.running ? replaceUp : replaceDown).push(inst);
    } else if (!inst.running || inst.desiredState !== 'launched') {
      adding.push({
        action: 'start',
        role: 'instance',
        unit: inst.name,
        index,
        reason: STEP_REASONS.notRunning,
        fromHash: inst.hash,
        toHash: hashAt(index),
        desiredState: 'launched',
        machineID: inst.machineID,
        ...pinAt(index),
      });
    } else {
      unchanged.push(inst.name);
    }
  }

  // 2. capacity-adding steps: one batch (they take nothing down; maxParallel bounds the executor)
  addBatch(adding);

  const replaceStep = (inst: InstanceView): NewStep => ({
    action: 'replace',
    role: 'instance',
    unit: inst.name,
    index: inst.index,
    reason: inst.hash === hashAt(inst.index) ? STEP_REASONS.forced : STEP_REASONS.hashChanged,
    fromHash: inst.hash,
    toHash: hashAt(inst.index),
    desiredState: 'launched',
    machineID: inst.machineID,
    ...pinAt(inst.index),
    mode,
  });

  // 3. instances that are down anyway
  for (const group of instanceBatches(replaceDown, batchSize, settings.machineAware))
    addBatch(group.map(replaceStep));

  // 4. surge spares, 5. replace running instances
  const spares: number[] = [];
  if (replaceUp.length > 0 && settings.maxSurge > 0) {
    // instances are sorted by index: the last is the highest (no spread: 100,000 arguments overflow)
    const highest = Math.max(N, view.instances.at(-1)?.index ?? 0, ...canary.created);
    const count = Math.min(settings.maxSurge, replaceUp.length);
    for (let k = 1; k <= count; k++) spares.push(highest + k);
  }
  let rest: readonly InstanceView[] = replaceUp;
  if (spares.length > 0) {
    // The first maxUnavailable take-downs need no spare (the guarantee is N − maxUnavailable), so
    // they run beside the spares' creation instead of after it; the capacity gate still checks each.
    const first =
      settings.maxUnavailable > 0
        ? (instanceBatches(replaceUp, settings.maxUnavailable, settings.machineAware)[0] ?? [])
        : [];
    addBatch([
      ...spares.map(
        (index): NewStep => ({
          action: 'create',
          role: 'surge',
          unit: instanceName(service, index),
          index,
          reason: STEP_REASONS.surgeSpare,
          toHash: newHash,
          desiredState: 'launched',
        }),
      ),
      ...first.map(replaceStep),
    ]);
    const started = new Set(first);
    rest = replaceUp.filter((i) => !started.has(i));
  }
  const upBatch = Math.max(1, settings.maxUnavailable + spares.length);
  for (const group of instanceBatches(rest, upBatch, settings.machineAware)) addBatch(group.map(replaceStep));

  // 6. indexes above N (the canaries, the spares), highest first
  // after a canary run, what is above N is the canaries (promoted now, or thrown away by a rollback)
  const afterCanary = snapshot.record?.status === 'canary';
  const removals: NewStep[] = [
    ...view.instances
      .filter((i) => i.index > N)
      .map(
        (i): NewStep => ({
          action: 'destroy',
          role: afterCanary ? 'canary' : 'extra',
          unit: i.name,
          index: i.index,
          reason: afterCanary ? STEP_REASONS.canaryDone : STEP_REASONS.aboveCount,
          fromHash: i.hash,
          machineID: i.machineID,
        }),
      ),
    ...canary.created.map(
      (index): NewStep => ({
        action: 'destroy',
        role: 'canary',
        unit: instanceName(service, index),
        index,
        reason: STEP_REASONS.canaryDone,
        fromHash: newHash,
      }),
    ),
    ...spares.map(
      (index): NewStep => ({
        action: 'destroy',
        role: 'surge',
        unit: instanceName(service, index),
        index,
        reason: STEP_REASONS.surgeDone,
        fromHash: newHash,
      }),
    ),
  ].sort((a, b) => (b.index ?? 0) - (a.index ?? 0));
  for (const chunk of chunks(removals, batchSize)) addBatch(chunk);

  // 7. S.service and non-indexed instances, after the new capacity runs
  const legacy: NewStep[] = [
    ...(view.nonInstanced
      ? [
          {
            action: 'destroy',
            role: 'non-instanced',
            unit: view.nonInstanced.name,
            reason: STEP_REASONS.nonInstanced,
            fromHash: view.nonInstanced.hash,
          } satisfies NewStep,
        ]
      : []),
    ...view.nonIndexed.map(
      (u): NewStep => ({
        action: 'destroy',
        role: 'non-indexed',
        unit: u.name,
        reason: STEP_REASONS.nonIndexed,
        fromHash: u.hash,
      }),
    ),
  ];
  addBatch(legacy);

  return assemble(unchanged, {
    create: adding.filter((s) => s.action === 'create').length,
    replace: replaceDown.length + replaceUp.length,
    start: adding.filter((s) => s.action === 'start').length,
    unchanged: unchanged.length,
    remove: removals.filter((s) => s.role !== 'surge' && s.role !== 'canary').length + legacy.length,
    surge: spares.length,
    templateChanged: view.template === undefined || view.template.hash !== newHash,
  });
}

/**
 * The contents a rollback restores: the record's `previous` while an earlier rollout is unfinished
 * (its target never fully landed), else the current template's contents, else the most common
 * instance contents. `undefined` for a service that does not exist yet.
 */
function previousContents(
  snapshot: ClusterSnapshot,
  view: ServiceView,
  newHash: string,
): PreviousContents | undefined {
  const record = snapshot.record;
  if (record && record.status !== 'succeeded' && record.status !== 'rolled-back' && record.previous) {
    return record.previous;
  }
  if (record?.previous && record.target.hash === newHash && record.status === 'succeeded') {
    // Re-running a finished rollout: keep what it replaced as the rollback target.
    return record.previous;
  }
  const count = view.instances.filter((i) => i.index >= 1).length || 0;
  const template = view.template && snapshot.units.find((u) => u.name === view.template?.name);
  if (template) return { hash: view.template!.hash, options: template.options ?? [], count: count || 1 };
  const tally = new Map<string, number>();
  for (const i of view.instances) tally.set(i.hash, (tally.get(i.hash) ?? 0) + 1);
  const best = [...tally.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return undefined;
  // one pass each (a find inside a some was O(units × instances): minutes at 100,000 instances)
  const withBest = new Set(view.instances.filter((i) => i.hash === best[0]).map((i) => i.name));
  const unit = snapshot.units.find((u) => withBest.has(u.name));
  return { hash: best[0], options: unit?.options ?? [], count };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The number of instances N: the spec's `count`; without one, the service's current number of
 * indexed instances (a rollout never scales by omission), or `DEFAULTS.count` for a new service.
 * Says which in the plan's notes.
 */
function planCount(
  spec: RolloutSpec,
  view: ServiceView,
  notes: string[],
  record: ClusterSnapshot['record'],
): number {
  if (spec.count !== undefined) return spec.count;
  if (record?.status === 'canary' && record.target.count > 0) {
    notes.push(`count ${record.target.count} (kept: the canaries above it are not counted)`);
    return record.target.count;
  }
  const current = view.instances.length;
  if (current > 0) {
    notes.push(`count ${current} (kept: count not given, the service runs ${current} instances)`);
    return current;
  }
  notes.push(`count ${DEFAULTS.count} (default for a new service: count not given)`);
  return DEFAULTS.count;
}

/**
 * Batches of instances to replace. Plain: ascending index, `size` at a time. Machine-aware: instances
 * grouped by machine (machines in order of their lowest index) so one machine is finished before the
 * next, and no batch holds two instances of one machine.
 */
export function instanceBatches(
  items: readonly InstanceView[],
  size: number,
  machineAware: boolean,
): InstanceView[][] {
  if (!machineAware) return chunks(items, size);
  const key = (i: InstanceView) => i.machineID ?? `unscheduled:${i.name}`;
  const groups = new Map<string, { items: InstanceView[]; next: number }>();
  for (const i of items) {
    const group = groups.get(key(i));
    if (group) group.items.push(i);
    else groups.set(key(i), { items: [i], next: 0 });
  }
  // Machines with instances left, in order, from `start`. A batch takes the next instance of each of
  // the first `size` machines; those machines that still have instances stay in front, in order.
  // Cost O(size) per batch, O(items) in all (no splice or rescan of what is left).
  const active = [...groups.values()];
  let start = 0;
  const out: InstanceView[][] = [];
  while (start < active.length) {
    const end = Math.min(active.length, start + Math.max(1, size));
    const batch: InstanceView[] = [];
    const left: (typeof active)[number][] = [];
    for (let k = start; k < end; k++) {
      const group = active[k]!;
      batch.push(group.items[group.next++]!);
      if (group.next < group.items.length) left.push(group);
    }
    start = end - left.length;
    for (let k = 0; k < left.length; k++) active[start + k] = left[k]!;
    out.push(batch);
  }
  return out;
}

/**
 * Per machine: index → machine (per-machine.ts), and the strategy that goes with it — one machine
 * at a time (`maxUnavailable` 1 unless given lower, no surge: a spare could not be pinned to a
 * machine already running one), machine-aware. Refuses a snapshot without machines, or none eligible.
 */
function machinePins(
  base: ReturnType<typeof perMachineBase>,
  view: ServiceView,
  snapshot: ClusterSnapshot,
  settings: ReturnType<typeof resolveSettings>,
  notes: string[],
): Map<number, Pin> {
  const pins = assignPins(base, view, snapshot.units, snapshot.machines ?? []);
  if (pins.size === 0)
    throw new InvalidSpecError([
      {
        field: 'perMachine',
        kind: 'invalid',
        message: snapshot.machines
          ? "perMachine: no live machine satisfies the unit's requirements, so there is nothing to run it on"
          : 'perMachine: the snapshot has no machines (observe them: observeCluster reads /machines by default)',
      },
    ]);
  settings.maxSurge = 0;
  settings.maxUnavailable = Math.min(settings.maxUnavailable, 1);
  settings.machineAware = true;
  notes.push(
    `per machine: Global=true rolled as ${pins.size} instance(s), one per machine, each pinned with MachineID=; one machine at a time (${pins.size - settings.maxUnavailable} of ${pins.size} serving)`,
  );
  return pins;
}
