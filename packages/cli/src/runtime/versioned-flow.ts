import type { FleetApi } from '@fleet-service/fleet-client';
import type { Plan, RolloutResult, RolloutSpec, VersionedSpec } from '@fleet-service/rollout';
import type { OutputMode } from '../output/output-mode.js';
import { UsageError } from '../usage-error.js';
import { type ConnectionSettings, checkIsFleet } from './connect.js';
import { printPlan } from './create-flow.js';
import { lockIdentity, runEngine } from './engine-run.js';
import type { Session } from './session.js';
import { specProblemsError } from './validate.js';

interface VersionedFlags {
  versioned?: string | undefined;
  'destroy-previous'?: 'true' | 'false' | 'at-end' | undefined;
  'batch-size'?: number | undefined;
  'max-surge'?: number | undefined;
  'machine-aware'?: boolean | undefined;
  'replace-mode'?: string | undefined;
  force?: boolean | undefined;
}

/** The versioned spec from create's spec and flags; flags that have no meaning for it are refused (exit 2). */
export async function versionedSpec(spec: RolloutSpec, flags: VersionedFlags): Promise<VersionedSpec> {
  const conflicting = (['max-surge', 'machine-aware', 'replace-mode', 'force'] as const).filter(
    (f) => flags[f] !== undefined && flags[f] !== false,
  );
  if (conflicting.length > 0)
    throw new UsageError(`--versioned conflicts with ${conflicting.map((f) => `--${f}`).join(', ')}`, {
      hint: 'a versioned deploy starts new units beside the old ones: use --batch-size and --destroy-previous',
    });
  const { maxSurge, machineAware, replaceMode, force, maxUnavailable, allowOutage, onFailure, ...rest } =
    spec;
  const destroy = flags['destroy-previous'];
  const out: VersionedSpec = {
    ...rest,
    version: flags.versioned ?? '',
    ...(flags['batch-size'] !== undefined ? { batchSize: flags['batch-size'] } : {}),
    ...(destroy !== undefined
      ? { destroyPrevious: destroy === 'at-end' ? 'at-end' : destroy === 'true' }
      : {}),
  };
  const { validateVersionedSpec } = await import('@fleet-service/rollout');
  const problems = validateVersionedSpec(out);
  if (problems.length > 0) throw specProblemsError(spec.service, problems);
  return out;
}

/** `create --versioned --dry-run`: observe the versions, plan, print. */
export async function showVersionedPlan(
  spec: VersionedSpec,
  api: FleetApi,
  settings: ConnectionSettings,
  mode: OutputMode,
): Promise<Plan> {
  await checkIsFleet(api, settings.endpoint);
  const { observeVersions, planVersionedDeploy } = await import('@fleet-service/rollout');
  return printPlan(planVersionedDeploy(spec, await observeVersions(api, spec.service)), mode);
}

/** `create --versioned`: the versioned deploy with create's live rendering and Ctrl-C policy. */
export async function runVersioned(
  spec: VersionedSpec,
  api: FleetApi,
  settings: ConnectionSettings,
  mode: OutputMode,
  onSession: (session: Session) => void,
): Promise<RolloutResult> {
  const { deployVersion } = await import('@fleet-service/rollout');
  const run = { settings, mode, title: `${spec.service}: deploying version ${spec.version}`, api, onSession };
  return runEngine(run, (deps) => deployVersion({ ...spec, lock: lockIdentity(spec.lock) }, deps));
}
