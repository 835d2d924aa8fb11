/**
 * The JSON document a webhook receives (and a beanstalkd job without a template carries): the
 * fields of `fs … --json` (`ok`, `exitCode`, `result`, and `error` for a failure) plus what the
 * notice says about the rollout. Pure.
 */
import type { RolloutNotice } from '../notice/notice.js';

export interface WebhookDocument {
  /** `fs.rollout` — what this document is, for receivers of several kinds. */
  type: 'fs.rollout';
  /** Whether the rollout did what was asked (`started`, `succeeded`, `unchanged`). */
  ok: boolean;
  event: RolloutNotice['event'];
  action: string;
  service: string;
  outcome?: string;
  version: string;
  image?: string;
  hash: string;
  rolledBackTo?: string;
  replaced: number;
  added: number;
  removed: number;
  durationMs?: number;
  user?: string;
  host?: string;
  rolloutId?: string;
  exitCode?: number;
  failure?: RolloutNotice['failure'];
  error?: RolloutNotice['error'];
  result?: RolloutNotice['result'];
}

export function webhookDocument(notice: RolloutNotice): WebhookDocument {
  const { event, ...rest } = notice;
  return {
    type: 'fs.rollout',
    ok: event === 'started' || event === 'succeeded' || event === 'unchanged',
    event,
    ...rest,
  };
}
