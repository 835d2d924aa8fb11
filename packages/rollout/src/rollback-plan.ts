/**
 * planRollback: pure. The plan that undoes a failed rollout: the previous contents rolled out again
 * with the failed plan's own settings (strategy, timeouts, poll interval, parallelism), or — for a
 * service that did not exist before — the whole service torn down.
 *
 * Two settings differ on purpose: `onFailure: 'abort'` (a rollback is never rolled back) and
 * `force: false` (instances the failed rollout did not touch still run the previous contents;
 * restarting them would only cost capacity). The lock is not part of a plan: the rollback runs
 * under the lock the failed rollout holds.
 */

import { markHooks } from './hook-marks.js';
import type { Plan } from './plan.js';
import { planRollout } from './planner.js';
import type { ClusterSnapshot } from './snapshot.js';
import { teardownPlan } from './teardown.js';

export function planRollback(failed: Plan, snapshot: ClusterSnapshot): Plan {
  const s = failed.settings;
  const previous = failed.previous;
  if (!previous || previous.options.length === 0) {
    return teardownPlan(snapshot, s, {
      batchSize: Math.max(1, s.maxUnavailable + s.maxSurge),
      notes: ['rollback of a new service: tear it down'],
    });
  }
  const count = previous.count > 0 ? previous.count : failed.count;
  // settings that are not a spec's: no canary (a rollback removes them), hooks as the failed plan had
  const { hooks, canary: _canary, canaryAutoPromoteMs: _auto, ...strategy } = s;
  const plan = planRollout(
    {
      ...strategy,
      service: failed.service,
      unitFile: previous.options,
      count,
      onFailure: 'abort',
      force: false,
    },
    snapshot,
  );
  markHooks(plan.steps, hooks);
  return {
    ...plan,
    settings: { ...plan.settings, hooks },
    notes: [`rollback to ${previous.hash.slice(0, 7)}`, ...plan.notes],
  };
}
