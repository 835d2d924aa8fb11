import { Flags } from '@oclif/core';
import { durationFlag } from './global-flags.js';

/**
 * `--notify TARGET` (repeatable), `--notify-on`, `--notify-timeout`: create, rollback and destroy
 * tell Slack, webhooks and beanstalkd how they went. Light: parsing and sending load
 * (runtime/notify-run.ts) only when a target is given.
 */
export const notifyFlags = {
  notify: Flags.string({
    summary:
      'tell TARGET how it went: slack:URL, webhook:URL (HMAC with FS_WEBHOOK_SECRET or ?secret=), beanstalkd:HOST:PORT/TUBE or beanstalkd:{NOTIFY_FLAGS JSON}; repeatable; also FS_NOTIFY (comma-separated) and NOTIFY_FLAGS',
    multiple: true,
    helpValue: 'TARGET',
    helpGroup: 'NOTIFY',
  }),
  'notify-on': Flags.string({
    summary:
      'events to notify, comma-separated: started, succeeded, unchanged, failed, rolled-back, paused [default: succeeded,failed,rolled-back,paused]',
    env: 'FS_NOTIFY_ON',
    helpValue: 'EVENTS',
    helpGroup: 'NOTIFY',
  }),
  'notify-timeout': durationFlag({
    summary: 'time each target gets per notification, retries included; then it is dropped [default: 10s]',
    env: 'FS_NOTIFY_TIMEOUT',
    bounds: { minMs: 10, maxMs: 600_000 },
    helpGroup: 'NOTIFY',
  }),
};

/** What the notify flags and environment ask for, unparsed (runtime/notify-run.ts checks it). */
export interface NotifyRequest {
  /** What runs: create, rollback, destroy. */
  action: string;
  service: string;
  /** `--notify` values, then FS_NOTIFY's entries. */
  targets: string[];
  /** NOTIFY_FLAGS (SymfoniNext's beanstalkd settings, JSON). */
  notifyFlags?: string;
  /** `--notify-on`, comma-separated. */
  on?: string;
  timeoutMs?: number;
  /** FS_WEBHOOK_SECRET. */
  webhookSecret?: string;
  /** Who runs it (USER / LOGNAME). */
  user?: string;
}

/** The targets in FS_NOTIFY: split at the commas that start another `scheme:` (URLs and JSON keep theirs). */
export function splitTargetList(text: string): string[] {
  return text
    .split(/,\s*(?=(?:slack|webhook|beanstalkd):)/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** The notify request of a command, or undefined when no target is given anywhere. */
export function notifyRequest(
  flags: {
    notify?: string[] | undefined;
    'notify-on'?: string | undefined;
    'notify-timeout'?: number | undefined;
  },
  action: string,
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): NotifyRequest | undefined {
  const targets = [...(flags.notify ?? []), ...splitTargetList(env.FS_NOTIFY ?? '')];
  const notifyFlagsJson = env.NOTIFY_FLAGS?.trim();
  if (targets.length === 0 && !notifyFlagsJson) return undefined;
  const user = env.USER || env.LOGNAME;
  return {
    action,
    service,
    targets,
    ...(notifyFlagsJson ? { notifyFlags: notifyFlagsJson } : {}),
    ...(flags['notify-on'] !== undefined ? { on: flags['notify-on'] } : {}),
    ...(flags['notify-timeout'] !== undefined ? { timeoutMs: flags['notify-timeout'] } : {}),
    ...(env.FS_WEBHOOK_SECRET ? { webhookSecret: env.FS_WEBHOOK_SECRET } : {}),
    ...(user ? { user } : {}),
  };
}
