/**
 * `--notify` at run time: parse and check every target before anything else happens (a bad one is
 * a usage error, exit 2), follow the engine's events, and once the engine call settled send the
 * outcome to every target — bounded by --notify-timeout, never changing the outcome or the exit
 * code. A failing target is a warning line (stderr), or a `notify-failed` line with --output ndjson.
 */
import { hostname } from 'node:os';
import {
  createNoticeTracker,
  createNotifier,
  isNotifyError,
  NOTICE_EVENTS,
  type NoticeEvent,
  type NotifyEvent,
  type NotifyTarget,
  parseNotifyFlags,
  parseTarget,
} from '@fleet-service/notify';
import type { DestroyResult, RolloutEvent, RolloutResult } from '@fleet-service/rollout';
import { decideExitCode } from '../exit-codes.js';
import type { NotifyRequest } from '../flags/notify-flags.js';
import type { OutputMode } from '../output/output-mode.js';
import type { FailedInstance } from '../render/error-report.js';
import { UsageError } from '../usage-error.js';

const TARGET_HINT =
  'a target is slack:URL, webhook:URL, beanstalkd:HOST:PORT/TUBE or beanstalkd:{"addr":"HOST:PORT","tube":"TUBE","template":"BASE64"}';

export interface NotifyRun {
  /** Feed every engine event. */
  onEvent(event: RolloutEvent): void;
  /** Send the outcome and wait for every delivery (each bounded by its timeout). Never throws. */
  finish(settled: {
    /** The engine's RolloutResult or DestroyResult (resolved, or the error's `result`). */
    result: object | undefined;
    error: unknown;
    failure: FailedInstance | undefined;
    interrupted: boolean;
  }): Promise<void>;
}

export function startNotify(request: NotifyRequest, mode: OutputMode): NotifyRun {
  const { notifier, trackerFor, flushHeld } = openNotifier(request, mode);
  const tracker = trackerFor(request.service);
  let startedSent = false;
  return {
    onEvent(event) {
      tracker.onEvent(event);
      if (event.type === 'plan' && !event.phase && !startedSent && notifier.wants('started')) {
        const started = tracker.started();
        if (started) {
          startedSent = true;
          void notifier.notify(started); // not awaited: the rollout goes on; close() waits for it
        }
      }
    },
    async finish(settled) {
      flushHeld();
      try {
        const outcome = (settled.result as { outcome?: string } | undefined)?.outcome;
        const exitCode = decideExitCode({
          ...(settled.error !== undefined ? { error: settled.error } : {}),
          ...(outcome ? { outcome } : {}),
          interrupted: settled.interrupted,
        });
        const notice = tracker.finished({
          result: settled.result as RolloutResult | DestroyResult | undefined,
          error: settled.error,
          exitCode,
          failure: settled.failure,
        });
        await notifier.notify(notice);
        await notifier.close();
      } catch {
        // a notification never changes how the command ends
      }
    },
  };
}

/** `fs apply --notify`: one notifier for the run, one notice per service as soon as its outcome is known. */
export interface ApplyNotifyRun {
  /** Feed every event (each names its service). */
  onEvent(event: { type: string; service?: string }): void;
  /**
   * Tell the targets how one service went: a service the engine rolled (its result) or that failed.
   * A service with neither (unchanged, left alone, a plain unit) sends nothing. Never throws.
   */
  serviceDone(done: {
    service: string;
    result?: RolloutResult | undefined;
    error?: { message: string; code?: string } | undefined;
    exitCode: number;
  }): Promise<void>;
  /** Print held warnings and wait for every delivery. Never throws. */
  close(): Promise<void>;
}

export function startApplyNotify(request: Omit<NotifyRequest, 'service'>, mode: OutputMode): ApplyNotifyRun {
  const { notifier, trackerFor, flushHeld } = openNotifier(request, mode);
  const trackers = new Map<string, ReturnType<typeof createNoticeTracker>>();
  const tracker = (service: string) => {
    let t = trackers.get(service);
    if (!t) {
      t = trackerFor(service);
      trackers.set(service, t);
    }
    return t;
  };
  const sends: Promise<unknown>[] = [];
  return {
    onEvent(event) {
      if (
        typeof event.service !== 'string' ||
        typeof (event as { rolloutId?: unknown }).rolloutId !== 'string'
      )
        return; // apply's own lifecycle events: not a service's rollout
      const t = tracker(event.service);
      t.onEvent(event as RolloutEvent);
      if (event.type === 'plan' && !(event as { phase?: string }).phase && notifier.wants('started')) {
        const started = t.started();
        if (started) sends.push(notifier.notify(started).catch(() => {}));
      }
    },
    async serviceDone(done) {
      if (!done.result && !done.error) return;
      try {
        const notice = tracker(done.service).finished({
          result: done.result,
          error: done.error,
          exitCode: done.exitCode,
          failure: undefined,
        });
        const send = notifier.notify(notice).catch(() => {});
        sends.push(send);
        await send;
      } catch {
        // a notification never changes how the apply ends
      }
    },
    async close() {
      flushHeld();
      await Promise.all(sends);
      await notifier.close().catch(() => {});
    },
  };
}

/**
 * The targets checked (a bad one is a usage error), one notifier for them, and a notice tracker per
 * service. While the run goes on, the notifier's text lines wait (a live view owns the terminal)
 * until `flushHeld()`; with ndjson they stream at once.
 */
function openNotifier(request: Omit<NotifyRequest, 'service'>, mode: OutputMode) {
  const targets = parseTargets(request);
  const on = parseEvents(request.on);
  let held: NotifyEvent[] | undefined = mode.format === 'ndjson' ? undefined : [];
  const notifier = createNotifier(targets, {
    ...(on ? { on } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    onEvent: (e) => (held ? held.push(e) : printNotifyEvent(e, mode)),
  });
  return {
    notifier,
    trackerFor: (service: string) =>
      createNoticeTracker({
        action: request.action,
        service,
        host: hostname(),
        ...(request.user ? { user: request.user } : {}),
      }),
    flushHeld() {
      for (const e of held ?? []) printNotifyEvent(e, mode);
      held = undefined;
    },
  };
}

function parseTargets(request: Omit<NotifyRequest, 'service'>): NotifyTarget[] {
  const options = request.webhookSecret ? { webhookSecret: request.webhookSecret } : {};
  try {
    const targets = request.targets.map((t) => parseTarget(t, options));
    if (request.notifyFlags) targets.push(parseNotifyFlags(request.notifyFlags, 'NOTIFY_FLAGS'));
    return targets;
  } catch (error) {
    if (isNotifyError(error)) throw new UsageError(error.message, { hint: TARGET_HINT });
    throw error;
  }
}

function parseEvents(text: string | undefined): NoticeEvent[] | undefined {
  if (text === undefined) return undefined;
  const events = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of events) {
    if (!(NOTICE_EVENTS as readonly string[]).includes(e)) {
      throw new UsageError(`--notify-on: unknown event "${e}"`, {
        hint: `events: ${NOTICE_EVENTS.join(', ')}`,
      });
    }
  }
  return events as NoticeEvent[];
}

function printNotifyEvent(e: NotifyEvent, mode: OutputMode): void {
  if (mode.format === 'ndjson') {
    process.stdout.write(`${JSON.stringify({ ...e, time: Date.now() })}\n`);
    return;
  }
  if (e.type === 'notify-failed') {
    const tries = e.attempts === 1 ? '1 attempt' : `${e.attempts} attempts`;
    process.stderr.write(`warning: ${e.error.message} (${e.event} notice, ${tries})\n`);
  } else if (mode.verbose && mode.format === 'text') {
    process.stderr.write(`notified ${e.target} (${e.event})\n`);
  }
}
