import type { FleetApi } from '@fleet-service/fleet-client';
import type { Plan, RolloutResult, RolloutSpec } from '@fleet-service/rollout';
import { Chalk } from 'chalk';
import type { NotifyRequest } from '../flags/notify-flags.js';
import type { OutputMode } from '../output/output-mode.js';
import { planText } from '../render/plan-text.js';
import { buildSpec, type SpecFlags } from './build-spec.js';
import { type ConnectionSettings, checkIsFleet, createClient, healthCheckConnect } from './connect.js';
import { lockIdentity, runEngine } from './engine-run.js';
import type { Session } from './session.js';
import { checkServiceName, loadUnitFile } from './unit-file.js';
import { checkSpec } from './validate.js';

/**
 * Every check that needs no cluster, in order: service name, unit file (exists, readable,
 * parses, options fleet accepts), flags → spec, the engine's spec validation, and the endpoint
 * and TLS files (the client is built but makes no request). Throws bad-input errors (exit 2).
 */
export async function prepareCreate(
  service: string,
  unitFilePath: string,
  flags: SpecFlags,
  settings: ConnectionSettings,
): Promise<{ spec: RolloutSpec; api: FleetApi }> {
  await checkServiceName(service);
  const unitFile = await loadUnitFile(unitFilePath);
  const spec = buildSpec(service, unitFile, flags);
  // Global=true without --per-machine: the engine refuses it after one look, unless the service is
  // already pinned per machine (it keeps that form); every other problem is refused here
  const { isGlobalUnitFile } = await import('@fleet-service/rollout');
  const global = isGlobalUnitFile(spec.unitFile) && spec.perMachine === undefined;
  await checkSpec(global ? { ...spec, perMachine: true } : spec);
  const api = await createClient(settings);
  // health checks reach the machines the way fleet is reached: through the tunnel or proxy
  const connect = await healthCheckConnect(settings);
  if (connect && spec.healthChecks) {
    const { checksVia } = await import('@fleet-service/rollout');
    spec.healthChecks = checksVia(spec.healthChecks, connect);
  }
  return { spec, api };
}

/** `create --dry-run` / `plan`: observe, plan, print; no lock, no change. */
export async function showPlan(
  spec: RolloutSpec,
  api: FleetApi,
  settings: ConnectionSettings,
  mode: OutputMode,
): Promise<Plan> {
  await checkIsFleet(api, settings.endpoint);
  const { keepPerMachine, observeCluster, planRollout } = await import('@fleet-service/rollout');
  const snapshot = await observeCluster(api, spec.service);
  const kept = keepPerMachine(spec, snapshot);
  await checkSpec(kept);
  return printPlan(planRollout(kept, snapshot), mode);
}

/** Print a plan as the output mode says (text, or one NDJSON `plan` line); returns it. */
export function printPlan(plan: Plan, mode: OutputMode): Plan {
  if (mode.format === 'text') process.stdout.write(planText(plan, new Chalk({ level: mode.color ? 1 : 0 })));
  if (mode.format === 'ndjson')
    process.stdout.write(`${JSON.stringify({ type: 'plan', time: Date.now(), plan })}\n`);
  return plan;
}

/** `create`: lock, observe, plan, execute, with live rendering and the Ctrl-C policy. */
export async function runCreate(
  spec: RolloutSpec,
  api: FleetApi,
  settings: ConnectionSettings,
  mode: OutputMode,
  onSession: (session: Session) => void,
  notify?: NotifyRequest,
): Promise<RolloutResult> {
  const { rollout } = await import('@fleet-service/rollout');
  const run = { settings, mode, title: `${spec.service}: rolling out`, api, onSession, notify };
  return runEngine(run, (deps) => rollout({ ...spec, lock: lockIdentity(spec.lock) }, deps));
}
