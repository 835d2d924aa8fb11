import type { FleetApi } from '@fleet-service/fleet-client';
import type { RolloutEvent } from '@fleet-service/rollout';
import type { OutputMode } from '../output/output-mode.js';
import type { FailedInstance } from '../render/error-report.js';
import type { SummaryResult } from '../render/event-lines.js';
import { createRolloutRenderer, type RolloutRenderer } from '../render/rollout-renderer.js';
import { type ConnectionSettings, checkIsFleet, createClient } from './connect.js';
import { handleInterrupts, type InterruptHandle } from './interrupt.js';

/** How long `close()` may spend asking fleet for the failed instance's machine IP. */
const MACHINE_LOOKUP_MS = 2_000;

/** Everything a mutating command needs while it runs: client, renderer, Ctrl-C policy. */
export interface Session {
  api: FleetApi;
  renderer: RolloutRenderer;
  interrupts: InterruptHandle;
  /** fleetd version from the first read. */
  serverVersion: string;
  /** The last instance that failed (from its `instance-failed` event, plus its machine's IP), for error diagnostics. */
  lastFailure: FailedInstance | undefined;
  /** Feeds an engine event to the renderer (and remembers failures). */
  onEvent(event: RolloutEvent): void;
  /** Stops the renderer with the result (if any), removes signal handlers, and finds the failed instance's machine IP. */
  close(result: SummaryResult | undefined): Promise<void>;
}

/**
 * Connects (after all input was validated), checks the endpoint is fleet, installs the Ctrl-C
 * policy and starts the renderer.
 */
export async function openSession(
  settings: ConnectionSettings,
  mode: OutputMode,
  title: string,
  api?: FleetApi,
): Promise<Session> {
  const client = api ?? (await createClient(settings));
  const renderer = await createRolloutRenderer(mode, title);
  const interrupts = handleInterrupts((message) => renderer.notice(message));
  let serverVersion: string;
  try {
    serverVersion = await checkIsFleet(client, settings.endpoint, interrupts.signal);
  } catch (error) {
    interrupts.dispose();
    await renderer.finish(undefined);
    throw error;
  }
  const session: Session = {
    api: client,
    renderer,
    interrupts,
    serverVersion,
    lastFailure: undefined,
    onEvent(event) {
      if (event.type === 'instance-failed') session.lastFailure = failedInstance(event);
      renderer.onEvent(event);
    },
    async close(result) {
      interrupts.dispose();
      await renderer.finish(result);
      if (session.lastFailure) session.lastFailure = await withMachineIP(client, session.lastFailure);
    },
  };
  return session;
}

function failedInstance(e: Extract<RolloutEvent, { type: 'instance-failed' }>): FailedInstance {
  return {
    unit: e.unit,
    diagnosis: e.diagnosis,
    ...(e.machineID ? { machineID: e.machineID } : {}),
    ...(e.systemd ? { systemd: e.systemd } : {}),
  };
}

/** The failure with its machine's IP added, when fleet answers within a short time; else as it was. */
async function withMachineIP(api: FleetApi, failure: FailedInstance): Promise<FailedInstance> {
  if (!failure.machineID || failure.primaryIP) return failure;
  try {
    const machines = await api.listMachines({ signal: AbortSignal.timeout(MACHINE_LOOKUP_MS) });
    const ip = machines.find((m) => m.id === failure.machineID)?.primaryIP;
    return ip ? { ...failure, primaryIP: ip } : failure;
  } catch {
    return failure; // the logs hint then names the machine without its IP
  }
}
