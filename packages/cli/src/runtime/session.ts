import type { FleetApi } from '@fleet-service/fleet-client';
import type { OutputMode } from '../output/output-mode.js';
import { createRolloutRenderer, type RolloutRenderer } from '../render/rollout-renderer.js';
import { type ConnectionSettings, checkIsFleet, createClient } from './connect.js';
import { handleInterrupts, type InterruptHandle } from './interrupt.js';

/** Everything a mutating command needs while it runs: client, renderer, Ctrl-C policy. */
export interface Session {
  api: FleetApi;
  renderer: RolloutRenderer;
  interrupts: InterruptHandle;
  /** fleetd version from the first read. */
  serverVersion: string;
  /** The last `instance-failed` event (for error diagnostics). */
  lastFailure: Record<string, unknown> | undefined;
  /** Feeds an engine event to the renderer (and remembers failures). */
  onEvent(event: unknown): void;
  /** Stops the renderer with the result (if any) and removes signal handlers. */
  close(result: unknown): Promise<void>;
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
      if ((event as { type?: string }).type === 'instance-failed') {
        session.lastFailure = event as Record<string, unknown>;
      }
      renderer.onEvent(event);
    },
    async close(result) {
      interrupts.dispose();
      await renderer.finish(result as Parameters<RolloutRenderer['finish']>[0]);
    },
  };
  return session;
}
