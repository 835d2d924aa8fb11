/**
 * Nudges for fleet's agents around a change (an in-place content PUT, a DELETE).
 *
 * fleet v1.0's job watch (`registry/event.go`) wakes on any write under `/job`, sleeps 1 s, hands
 * the change on only if its key is `target-state` or `target`, and re-arms from "now"
 * (`AfterIndex: 0`): writes made in that second are never seen. A content PUT writes
 * `job/<name>/object` and then, milliseconds later, `job/<name>/target-state`, so the watch wakes on
 * the first (not an event), and the second — the one that tells the agent to act — is missed. The
 * agent then only acts at its periodic reconcile (every 5 s): measured on a real fleetd v1.0, an
 * in-place PUT took 1.3 s to 6.3 s before the agent stopped the old contents.
 *
 * Writing a desiredState a unit already has (fleet answers 204 and changes nothing else) is a
 * target-state event; the watch hands it on a second after it saw it, and the reconcile it triggers
 * reads the whole registry. Written just before a change ({@link nudgeBeforeChange},
 * {@link nudgeBeforeRun}, {@link nudgeLock}) the agents act ≈ 1 s after it; written after it
 * ({@link nudgeWhileIdle}), ≈ 2 s after. Failures are ignored (the wait goes on as without them).
 */
import type { Clock, FleetApi, Unit } from '@fleet-service/fleet-client';
import type { Plan } from './plan.js';
import { lockUnitName } from './reserved-units.js';

/**
 * When to nudge, in ms after the content PUT: once the 1 s watch sleep is over, then every half
 * second. Any other write under `/job` (another unit's PUT, a lock refresh, the engine's own) also
 * puts the watch to sleep for a second, so one nudge can land in a sleep too: on the test bed a
 * nudge at 1.1 s was missed after a lock refresh at 1.05 s and fleet reacted only to the next one,
 * 1.5 s later. Half a second apart, the next nudge is at most 0.5 s after the watch wakes.
 */
export const NUDGE_AFTER_MS = Object.freeze([1_050, 1_550, 2_050, 2_550]);

/**
 * Nudge `unit` (write its `target-state` again: `state`, what it already is) at the NUDGE_AFTER_MS
 * marks until the returned `stop()` is called (call it as soon as fleet reacted: the old contents
 * stopped, or a destroyed unit gone).
 */
export function nudgeWhileIdle(
  api: FleetApi,
  clock: Clock,
  unit: string,
  signal?: AbortSignal,
  state: 'launched' | 'inactive' = 'launched',
): () => void {
  const stopped = new AbortController();
  const cancel = () => stopped.abort();
  signal?.addEventListener('abort', cancel, { once: true });
  void (async () => {
    let at = 0;
    for (const mark of NUDGE_AFTER_MS) {
      await clock.sleep(mark - at, stopped.signal);
      at = mark;
      await api.setUnitTargetState(unit, state, { signal: stopped.signal });
    }
  })()
    .catch(() => {})
    .finally(() => signal?.removeEventListener('abort', cancel));
  return cancel;
}

/**
 * Nudge `unit` just BEFORE its in-place content PUT. The watch hands an event on only a second
 * after it saw it (`watch()` sleeps 1 s after every change, then `parse` keeps only
 * `target-state` and `target` keys), and the reconcile it triggers reads the whole registry then.
 * A content PUT alone is seen as its `object` write (not an event, and the watch re-arms a second
 * later, past the PUT's own `target-state`): the agent then acts only on the first nudge after
 * the PUT, handed on a second after that — ≈ 2.05 s after the PUT. Written first, the unit's
 * `target-state` (launched again: 204, nothing changes) is the event the armed watch sees; it is
 * handed on a second later, and that reconcile already reads the new contents: ≈ 1 s after the
 * PUT (measured on the test bed: bench/README-realfleet.md). When the watch is asleep at that
 * moment (another `/job` write in the last second) this changes nothing, and the nudges after
 * the PUT ({@link nudgeWhileIdle}) act as before. Only for a unit already `launched`; a failure
 * is ignored.
 */
export async function nudgeBeforeChange(api: FleetApi, unit: Unit, signal?: AbortSignal): Promise<void> {
  if (unit.desiredState !== 'launched') return;
  await api.setUnitTargetState(unit.name, 'launched', signal ? { signal } : {}).catch(() => {});
}

/**
 * At the start of a locked run whose steps replace contents in place, before its first write (the
 * record): {@link nudgeLock}: write the lock unit's own `target-state` again (`inactive`, what it is: nothing
 * changes; it is this run's unit, so no user unit is touched). The lock's PUT a second earlier put
 * the watch to sleep until about now; the record's and the template's writes that follow would put
 * it to sleep again past the first instance's PUT (see {@link nudgeBeforeChange}). Seen first,
 * this event is handed on a second later, and the reconcile it triggers reads the first
 * instance's new contents: the first instance starts ≈ 1 s sooner. Its failure is ignored.
 */
export async function nudgeBeforeRun(api: FleetApi, plan: Plan, signal?: AbortSignal): Promise<void> {
  if (!plan.steps.some((s) => s.action === 'replace' && s.mode === 'in-place' && s.role !== 'template'))
    return;
  await nudgeLock(api, lockUnitName(plan.service), signal);
}

/**
 * Around a DELETE, the lock unit's `target-state` is written again (`inactive`: nothing changes;
 * the unit is this run's): fleet's watch never hands on a unit's removal (its key is the unit's
 * directory, not `target-state`), so an agent stops and unloads a destroyed unit only at its
 * periodic reconcile, up to 5 s later (3.5–4.5 s measured for a surge spare). Written just before
 * the DELETE (this function) it is the event an armed watch sees; the reconcile it triggers a
 * second later reads the unit gone. Then {@link nudgeWhileIdle} on the lock, as after an in-place
 * PUT, for when the watch was asleep (a lock refresh put it there once). Only for a run that holds
 * the lock; a failure is ignored.
 */
export async function nudgeLock(api: FleetApi, lockUnit: string, signal?: AbortSignal): Promise<void> {
  await api.setUnitTargetState(lockUnit, 'inactive', signal ? { signal } : {}).catch(() => {});
}
