/**
 * HTTP statuses of outcomes, as the CLI maps failure classes to exit codes (one table). A
 * `?wait=true` request is answered with its rollout's status; the body says the class and outcome.
 */
import type { FailureClass } from '@fleet-service/rollout';
import type { RolloutEntry } from '../store/entry.js';

export const HTTP_STATUS_FOR_CLASS: Readonly<Record<FailureClass, number>> = Object.freeze({
  usage: 422,
  unreachable: 503,
  rejected: 502,
  'timed-out': 504,
  'instance-failed': 500,
  'rolled-back': 500,
  'rollback-failed': 500,
  locked: 423,
  interrupted: 503,
  internal: 500,
});

/** succeeded/unchanged/canary (canaries healthy, waiting for promote) → 200; superseded → 409; a failure → its class's status. */
export function statusOfEntry(entry: RolloutEntry): number {
  if (entry.state === 'superseded') return 409;
  if (entry.state !== 'finished') return 202;
  if (entry.outcome === 'succeeded' || entry.outcome === 'unchanged' || entry.outcome === 'canary')
    return 200;
  const cls = entry.failureClass as FailureClass | undefined;
  return cls ? HTTP_STATUS_FOR_CLASS[cls] : 500;
}

/** The JSON view of an entry (events separately). */
export function entryView(entry: RolloutEntry, base = '') {
  return {
    id: entry.id,
    service: entry.service,
    kind: entry.request.kind,
    state: entry.state,
    ...(entry.request.version !== undefined ? { version: entry.request.version } : {}),
    ...(entry.request.force ? { force: true } : {}),
    ...(entry.request.count !== undefined ? { count: entry.request.count } : {}),
    source: entry.request.source,
    ...(entry.outcome ? { outcome: entry.outcome } : {}),
    ...(entry.failureClass ? { failureClass: entry.failureClass } : {}),
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.supersededBy ? { supersededBy: entry.supersededBy } : {}),
    createdAt: new Date(entry.createdAt).toISOString(),
    ...(entry.startedAt !== undefined ? { startedAt: new Date(entry.startedAt).toISOString() } : {}),
    ...(entry.finishedAt !== undefined ? { finishedAt: new Date(entry.finishedAt).toISOString() } : {}),
    ...(entry.result ? { result: entry.result } : {}),
    links: { self: `${base}/v1/rollouts/${entry.id}`, events: `${base}/v1/rollouts/${entry.id}/events` },
  };
}
