/**
 * planApply: pure. The whole cluster's plan from the desired state and ONE observation
 * (`observeClusterState`): per service the rollout engine's own plan (`planRollout` over
 * `snapshotOf(observation, service)`), a plain unit's plan, or a removal; the services missing
 * from the file are reported, and removed only with `prune`, only when fs manages them (their
 * record unit exists), never when a `protect` pattern matches.
 */
import { parseUnitName, pathMatch, type Unit } from '@fleet-service/fleet-client';
import {
  type ClusterObservation,
  planRollout,
  planVersionedDeploy,
  type RolloutSpec,
  recordUnitName,
  reservedUnitOwner,
  resolveSettings,
  snapshotOf,
  teardownPlan,
  type VersionedSpec,
  versionedName,
  versionSnapshotOf,
  viewVersions,
} from '@fleet-service/rollout';
import type { DesiredService, DesiredState } from '../desired.js';
import { EmptyDesiredStateError } from '../errors.js';
import { type ApplyPlan, PHASE_OF, type ServiceAction, type ServicePlan } from './apply-plan.js';
import { planPlainUnit } from './plain-plan.js';

export interface PlanApplyOptions {
  /** Remove services fs manages that the file no longer lists (coco's `-destroy`). @default false */
  prune?: boolean;
  /** Go `path.Match` patterns of unit or service names never removed. @default [] */
  protect?: readonly string[];
  /** Allow a plan that removes every service fs manages. @default false */
  allowEmpty?: boolean;
  /** Replace every instance even when its contents match. @default false */
  force?: boolean;
}

/** The spec of a template service (and of its sidekick, with the same strategy). */
export function specOf(d: DesiredService, opts: PlanApplyOptions = {}): RolloutSpec {
  return {
    service: d.service,
    unitFile: d.unitFile,
    count: d.count,
    ...d.strategy,
    ...(opts.force ? { force: true } : {}),
  };
}

export function sidekickSpecOf(d: DesiredService, opts: PlanApplyOptions = {}): RolloutSpec | undefined {
  if (!d.sidekick) return undefined;
  // the service's strategy, not its health checks (they are about the main instances)
  const { healthChecks: _main, ...spec } = specOf(d, opts);
  return { ...spec, service: d.sidekick.service, unitFile: d.sidekick.unitFile };
}

export function planApply(
  desired: DesiredState,
  observation: ClusterObservation,
  opts: PlanApplyOptions = {},
): ApplyPlan {
  const inCluster = servicesInCluster(observation.units);
  const services: ServicePlan[] = [];
  const wanted = new Set<string>();
  for (const d of desired.services) {
    wanted.add(d.service);
    if (d.sidekick) wanted.add(d.sidekick.service);
    if (d.versioned) {
      // its versions' units (S-<version>@N) are the service's, not services missing from the file
      for (const v of viewVersions(versionSnapshotOf(observation, d.service)))
        wanted.add(versionedName(d.service, v.version));
      services.push(planVersioned(d, observation, opts));
      continue;
    }
    services.push(d.kind === 'plain' ? planPlain(d, observation) : planTemplate(d, observation, opts));
  }
  const managed = new Set(
    observation.units
      .map((u) => reservedUnitOwner(u.name))
      .filter((o) => o?.kind === 'record')
      .map((o) => o!.service),
  );
  for (const [service, units] of inCluster) {
    if (wanted.has(service)) continue;
    services.push(planMissing(service, units, observation, managed.has(service), opts));
  }
  const removals = services.filter((s) => s.action === 'remove');
  const managedLeft = [...managed].filter((s) => inCluster.has(s));
  if (removals.length > 0 && removals.length >= managedLeft.length && !opts.allowEmpty)
    throw new EmptyDesiredStateError(
      `the desired state would remove every service fs manages (${removals.map((s) => s.service).join(', ')})`,
    );
  const summary = Object.fromEntries(
    (Object.keys(PHASE_OF) as ServiceAction[]).map((a) => [a, services.filter((s) => s.action === a).length]),
  ) as Record<ServiceAction, number>;
  const notes: string[] = [];
  if (summary.missing > 0 && !opts.prune)
    notes.push(
      `${summary.missing} service(s) not in the file are left alone (prune with --prune / -destroy=true)`,
    );
  return { services, summary, notes };
}

/** The versioned deploy of `strategy: versioned` (the entry's version as S-<version>@1..N). */
export function versionedSpecOf(d: DesiredService, opts: PlanApplyOptions = {}): VersionedSpec {
  const { maxUnavailable, maxSurge, allowOutage, machineAware, replaceMode, onFailure, ...settings } =
    d.strategy;
  void [maxUnavailable, maxSurge, allowOutage, machineAware, replaceMode, onFailure, opts];
  return {
    service: d.service,
    version: d.version ?? '',
    unitFile: d.unitFile,
    ...(d.count > 0 ? { count: d.count } : {}),
    ...settings,
    ...d.versioned,
  };
}

function planVersioned(
  d: DesiredService,
  observation: ClusterObservation,
  opts: PlanApplyOptions,
): ServicePlan {
  const versioned = versionedSpecOf(d, opts);
  const snapshot = versionSnapshotOf(observation, d.service);
  const plan = planVersionedDeploy(versioned, snapshot);
  const exists = snapshot.units.length > 0;
  const action = !exists ? 'create' : plan.steps.length === 0 ? 'unchanged' : 'update';
  return {
    service: d.service,
    kind: 'template',
    action,
    phase: PHASE_OF[action],
    plan,
    versioned,
    desired: d,
    managed: snapshot.record !== undefined,
    units: snapshot.units.map((u) => u.name),
    notes: [...plan.notes],
  };
}

function planTemplate(
  d: DesiredService,
  observation: ClusterObservation,
  opts: PlanApplyOptions,
): ServicePlan {
  const spec = specOf(d, opts);
  const snapshot = snapshotOf(observation, d.service);
  const plan = planRollout(spec, snapshot);
  const notes = [...plan.notes];
  if (d.sequentialDeployment === false)
    notes.push('sequentialDeployment: false — every instance is replaced at once: NOT zero-downtime');
  let sidekick: ServicePlan['sidekick'];
  const skSpec = sidekickSpecOf(d, opts);
  if (skSpec && d.sidekick) {
    sidekick = { spec: skSpec, plan: planRollout(skSpec, snapshotOf(observation, d.sidekick.service)) };
    notes.push(`sidekick ${d.sidekick.name}: each ${d.sidekick.service}@N is updated with ${d.service}@N`);
  }
  const action = templateAction(snapshot.units.length > 0, plan, sidekick?.plan);
  return {
    service: d.service,
    kind: 'template',
    action,
    phase: PHASE_OF[action],
    plan,
    spec,
    ...(sidekick ? { sidekick } : {}),
    desired: d,
    managed: snapshot.record !== undefined,
    units: snapshot.units.map((u) => u.name),
    notes,
  };
}

/** What a template service's plans amount to (see ServiceAction). */
function templateAction(
  exists: boolean,
  plan: ServicePlan['plan'] & {},
  sidekick?: ServicePlan['plan'],
): ServiceAction {
  if (!exists) return 'create';
  const s = plan.summary;
  if (plan.steps.length === 0) return sidekick && sidekick.steps.length > 0 ? 'update' : 'unchanged';
  if (s.replace > 0 || s.templateChanged || s.start > 0) return 'update';
  if (s.create > 0 && s.remove === 0) return 'scale-up';
  if (s.remove > 0 && s.create === 0) return 'scale-down';
  return 'update';
}

function planPlain(d: DesiredService, observation: ClusterObservation): ServicePlan {
  const current = observation.units.find((u) => u.name === d.name);
  const settings = resolveSettings({ service: d.service, unitFile: d.unitFile, ...d.strategy });
  const plan = planPlainUnit(
    { service: d.service, name: d.name, unitFile: d.unitFile, desiredState: d.desiredState },
    current,
    settings,
  );
  const action: ServiceAction = !current ? 'create' : plan.steps.length === 0 ? 'unchanged' : 'update';
  return {
    service: d.service,
    kind: 'plain',
    action,
    phase: PHASE_OF[action],
    plan,
    desired: d,
    managed: observation.units.some((u) => u.name === recordUnitName(d.service)),
    units: current ? [current.name] : [],
    notes: plan.notes,
  };
}

function planMissing(
  service: string,
  units: Unit[],
  observation: ClusterObservation,
  managed: boolean,
  opts: PlanApplyOptions,
): ServicePlan {
  const names = units.map((u) => u.name);
  const protectedBy = (opts.protect ?? []).find(
    (p) => pathMatch(p, service) || names.some((n) => pathMatch(p, n)),
  );
  const base = { service, kind: 'orphan' as const, managed, units: names };
  const keep = (why: string): ServicePlan => ({
    ...base,
    action: 'missing',
    phase: 0,
    notes: [why],
    ...(protectedBy ? { protectedBy } : {}),
  });
  if (!opts.prune) return keep('not in the file; left alone (no --prune)');
  if (protectedBy) return keep(`not in the file; protected by --protect ${protectedBy}`);
  if (!managed) return keep('not in the file; not managed by fs (no record unit), never removed');
  const settings = resolveSettings({ service, unitFile: [] });
  const plain = plainOrphanUnit(names);
  const plan = plain
    ? planPlainUnit({ service, name: plain }, units[0], settings, { removeRecord: true })
    : teardownPlan(snapshotOf(observation, service), settings, {
        includeRecord: true,
        notes: ['prune: not in the file'],
      });
  return { ...base, action: 'remove', phase: 3, plan, notes: ['not in the file; removed (--prune)'] };
}

/** The cluster's units by the service they belong to (`web` for web@.service, web@1, web.service; the name for a plain non-service unit); fs's own units left out. */
export function servicesInCluster(units: readonly Unit[]): Map<string, Unit[]> {
  const out = new Map<string, Unit[]>();
  for (const u of units) {
    if (reservedUnitOwner(u.name)) continue;
    const p = parseUnitName(u.name);
    const key = p.type === 'service' ? p.prefix : u.name;
    const list = out.get(key);
    if (list) list.push(u);
    else out.set(key, [u]);
  }
  return out;
}

/** An orphan that is one plain unit of another type than .service (`backup.timer`): its name. */
export function plainOrphanUnit(units: readonly string[]): string | undefined {
  if (units.length !== 1) return undefined;
  const p = parseUnitName(units[0]!);
  return p.type !== 'service' && !p.isInstance && !p.isTemplate ? units[0] : undefined;
}
