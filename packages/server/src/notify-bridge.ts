/**
 * Notifications on the real outcome (@fleet-service/notify): the server's targets (`--notify`)
 * plus a service's own (`notify:` in the config). One notice tracker per rollout, fed its events;
 * the outcome notice is sent when the rollout ends. A failing target is logged, never fatal.
 */
import type { DesiredService } from '@fleet-service/apply';
import {
  createNoticeTracker,
  createNotifier,
  type NoticeTracker,
  type Notifier,
  type NotifyEvent,
  type NotifyTarget,
  parseTarget,
} from '@fleet-service/notify';
import type { RolloutEvent } from '@fleet-service/rollout';
import type { ServeConfig } from './config/serve-config.js';
import { ServeConfigError } from './errors.js';
import type { RolloutEntry } from './store/entry.js';

export interface NotifyBridge {
  onEvent(entry: RolloutEntry, event: RolloutEvent): void;
  ended(entry: RolloutEntry): void;
  close(): Promise<void>;
}

export function createNotifyBridge(
  config: ServeConfig,
  targets: readonly NotifyTarget[],
  opts: { host?: string; onNotifyEvent?: (e: NotifyEvent) => void; timeoutMs?: number },
): NotifyBridge | undefined {
  const notifiers = new Map<string, Notifier>();
  for (const d of config.services.values()) {
    const own = parseServiceTargets(d);
    const all = [...targets, ...own];
    if (all.length > 0)
      notifiers.set(
        d.service,
        createNotifier(all, {
          ...(opts.onNotifyEvent ? { onEvent: opts.onNotifyEvent } : {}),
          ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
        }),
      );
  }
  if (notifiers.size === 0) return undefined;
  const trackers = new Map<string, NoticeTracker>();
  const trackerOf = (entry: RolloutEntry) => {
    let t = trackers.get(entry.id);
    if (!t) {
      t = createNoticeTracker({
        action: entry.request.kind === 'rollback' ? 'rollback' : 'deploy',
        service: entry.service,
        user: `fs serve (${entry.request.source})`,
        ...(opts.host ? { host: opts.host } : {}),
      });
      trackers.set(entry.id, t);
    }
    return t;
  };
  return {
    onEvent(entry, event) {
      if (notifiers.has(entry.service)) trackerOf(entry).onEvent(event);
    },
    ended(entry) {
      const notifier = notifiers.get(entry.service);
      if (!notifier || entry.state !== 'finished') return;
      const notice = trackerOf(entry).finished({
        result: entry.result,
        ...(entry.error ? { error: entry.error } : {}),
      });
      trackers.delete(entry.id);
      void notifier.notify(notice).catch(() => {});
    },
    async close() {
      await Promise.all([...notifiers.values()].map((n) => n.close().catch(() => {})));
    },
  };
}

function parseServiceTargets(d: DesiredService): NotifyTarget[] {
  try {
    return (d.notify ?? []).map((t) => parseTarget(t));
  } catch (error) {
    throw new ServeConfigError(`${d.at.file}: service ${d.service}: notify: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
