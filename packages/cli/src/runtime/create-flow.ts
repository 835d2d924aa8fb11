import type { FleetApi } from '@fleet-service/fleet-client';
import type { Plan, RolloutResult, RolloutSpec } from '@fleet-service/rollout';
import { Chalk } from 'chalk';
import type { OutputMode } from '../output/output-mode.js';
import { planText } from '../render/plan-text.js';
import { buildSpec, type SpecFlags } from './build-spec.js';
import { type ConnectionSettings, checkIsFleet, createClient } from './connect.js';
import { openSession, type Session } from './session.js';
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
  await checkSpec(spec);
  const api = await createClient(settings);
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
  const { observeCluster, planRollout } = await import('@fleet-service/rollout');
  const snapshot = await observeCluster(api, spec.service);
  const plan = planRollout(spec, snapshot);
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
): Promise<RolloutResult> {
  const session = await openSession(settings, mode, `${spec.service}: rolling out`, api);
  onSession(session);
  const { rollout } = await import('@fleet-service/rollout');
  let result: RolloutResult | undefined;
  try {
    result = await rollout(withOwner(spec), {
      api: session.api,
      signal: session.interrupts.signal,
      onEvent: (e) => session.onEvent(e),
      pid: process.pid,
    });
    return result;
  } catch (error) {
    result = (error as { result?: RolloutResult }).result;
    throw error;
  } finally {
    await session.close(result);
  }
}

/** The lock shows who runs the rollout: the user's name (fs in the lock's `owner`), host and pid. */
export function withOwner<T extends { lock?: RolloutSpec['lock'] }>(spec: T): T {
  const owner = process.env.USER || process.env.LOGNAME || 'fs';
  return { ...spec, lock: { owner, ...spec.lock } };
}
