/**
 * The JSON document a webhook receives (and a beanstalkd job without a template carries): the
 * fields of `fs … --json` (`ok`, `exitCode`, `result`, and `error` for a failure) plus what the
 * notice says about the rollout. Pure.
 */
import type { RolloutNotice } from '../notice/notice.js';

/** The notice's fields, plus what the document is and whether the rollout did what was asked. */
export type WebhookDocument = {
  /** `fs.rollout` — what this document is, for receivers of several kinds. */
  type: 'fs.rollout';
  /** Whether the rollout did what was asked (`started`, `succeeded`, `unchanged`). */
  ok: boolean;
} & RolloutNotice;

export function webhookDocument(notice: RolloutNotice): WebhookDocument {
  const { event, ...rest } = notice;
  return {
    type: 'fs.rollout',
    ok: event === 'started' || event === 'succeeded' || event === 'unchanged',
    event,
    ...rest,
  };
}
