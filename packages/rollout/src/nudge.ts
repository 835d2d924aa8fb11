/**
 * A nudge for fleet's agents after an in-place content change.
 *
 * fleet v1.0's job watch (`registry/event.go`) wakes on any write under `/job`, sleeps 1 s, and
 * re-arms from "now" (`AfterIndex: 0`): writes made in that second are never seen. A content PUT
 * writes `job/<name>/object` and then, milliseconds later, `job/<name>/target-state`, so the watch
 * wakes on the first (not an event), and the second — the one that tells the agent to act — is
 * missed. The agent then only acts at its periodic reconcile (every 5 s): measured on a real fleetd
 * v1.0, an in-place PUT took 1.3 s to 6.3 s before the agent stopped the old contents.
 *
 * Writing the unit's desiredState again (`PUT {desiredState: launched}`, what it already is: fleet
 * answers 204 and changes nothing else) after the watch has re-armed is a target-state event the
 * agents see at once. It is sent only while fleet has not reacted yet, at most `NUDGE_AFTER_MS.length`
 * times, and its failure is ignored (the wait goes on as without it).
 */
import type { Clock, FleetApi } from '@fleet-service/fleet-client';

/**
 * When to nudge, in ms after the content PUT: once the 1 s watch sleep is over, then every half
 * second. Any other write under `/job` (another unit's PUT, a lock refresh, the engine's own) also
 * puts the watch to sleep for a second, so one nudge can land in a sleep too: on the test bed a
 * nudge at 1.1 s was missed after a lock refresh at 1.05 s and fleet reacted only to the next one,
 * 1.5 s later. Half a second apart, the next nudge is at most 0.5 s after the watch wakes.
 */
export const NUDGE_AFTER_MS = Object.freeze([1_050, 1_550, 2_050, 2_550]);

/**
 * Nudge `unit` at the NUDGE_AFTER_MS marks until the returned `stop()` is called (call it as soon
 * as fleet reacted, i.e. the old contents stopped).
 */
export function nudgeWhileIdle(api: FleetApi, clock: Clock, unit: string, signal?: AbortSignal): () => void {
  const stopped = new AbortController();
  const cancel = () => stopped.abort();
  signal?.addEventListener('abort', cancel, { once: true });
  void (async () => {
    let at = 0;
    for (const mark of NUDGE_AFTER_MS) {
      await clock.sleep(mark - at, stopped.signal);
      at = mark;
      await api.setUnitTargetState(unit, 'launched', { signal: stopped.signal });
    }
  })()
    .catch(() => {})
    .finally(() => signal?.removeEventListener('abort', cancel));
  return cancel;
}
