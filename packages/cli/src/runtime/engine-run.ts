/**
 * The one place a CLI command hands work to the engine: open a session (client, is-fleet check,
 * renderer, Ctrl-C policy), call the engine with the same dependencies every time — the client, the
 * interrupt signal, the event stream, and who this process is for the lock (user, host, pid, and how
 * to tell a dead holder on this host) — then close the session with whatever result there was.
 * create, rollback and destroy differ only in the engine call they pass.
 */
import { hostname } from 'node:os';
import type { FleetApi } from '@fleet-service/fleet-client';
import type { LockOptions, RolloutEvent } from '@fleet-service/rollout';
import type { NotifyRequest } from '../flags/notify-flags.js';
import type { OutputMode } from '../output/output-mode.js';
import type { SummaryResult } from '../render/event-lines.js';
import type { ConnectionSettings } from './connect.js';
import { isHolderAlive } from './lock-holder.js';
import { openSession, type Session } from './session.js';

/** What every engine call gets from the CLI. */
export interface EngineDeps {
  api: FleetApi;
  signal: AbortSignal;
  onEvent: (event: RolloutEvent) => void;
  /** Shown in the lock, and how a later run on this host knows the holder died. */
  host: string;
  pid: number;
}

export interface EngineRun {
  settings: ConnectionSettings;
  mode: OutputMode;
  /** The live view's heading, e.g. `web: rolling out`. */
  title: string;
  /** An already built client (create builds it while validating input). */
  api?: FleetApi;
  /** Called once the session is open (the command keeps it for Ctrl-C state and error hints). */
  onSession: (session: Session) => void;
  /** `--notify`: where to tell the outcome (flags/notify-flags.ts); absent = nowhere. */
  notify?: NotifyRequest | undefined;
}

/** Run one engine call in a session; the session is closed with the call's result, or the error's. */
export async function runEngine<R extends SummaryResult>(
  run: EngineRun,
  call: (deps: EngineDeps) => Promise<R>,
): Promise<R> {
  // --notify: every target is checked before connecting (a bad one is exit 2, nothing changed)
  const notify = run.notify ? (await import('./notify-run.js')).startNotify(run.notify, run.mode) : undefined;
  const session = await openSession(run.settings, run.mode, run.title, run.api);
  run.onSession(session);
  let result: R | undefined;
  let failure: unknown;
  try {
    result = await call({
      api: session.api,
      signal: session.interrupts.signal,
      onEvent: (e) => {
        session.onEvent(e);
        notify?.onEvent(e);
      },
      host: hostname(),
      pid: process.pid,
    });
    return result;
  } catch (error) {
    result = (error as { result?: R }).result;
    failure = error;
    throw error;
  } finally {
    await session.close(result);
    // after the summary: the outcome goes to every --notify target, each bounded by its timeout;
    // it never changes the result, the error or the exit code
    await notify?.finish({
      result,
      error: failure,
      failure: session.lastFailure,
      interrupted: session.interrupts.interrupted,
    });
  }
}

/**
 * The lock settings a command adds to its own: who runs it (the user's name; `fs` when unknown)
 * and the dead-holder check (a holder on this host whose pid is gone is taken over at once).
 */
export function lockIdentity(lock: LockOptions | undefined): LockOptions {
  const owner = process.env.USER || process.env.LOGNAME || 'fs';
  return { owner, isHolderAlive: (holder) => isHolderAlive(holder), ...lock };
}
