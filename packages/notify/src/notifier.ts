/**
 * createNotifier: what a front end holds for its rollouts. `notify(notice)` sends one notice to
 * every target that wants its event, all at once, each bounded by its own timeout (deliver.ts);
 * it resolves with one report per target and never rejects: a failing target is reported (a
 * `notify-failed` event) and the others still get theirs. `close()` waits for the deliveries in
 * flight (started notices sent without waiting, for instance). Senders load on first use.
 */
import { type NotifyError, NotifyOptionsError } from './errors.js';
import { DEFAULT_NOTIFY_ON, NOTICE_EVENTS, type NoticeEvent, type RolloutNotice } from './notice/notice.js';
import { type DeliveryOutcome, deliver, type NotifyClock, realClock } from './send/deliver.js';
import { redactTarget } from './targets/redact.js';
import type { NotifyTarget } from './targets/target.js';

export interface NotifierOptions {
  /** The events to send. @default DEFAULT_NOTIFY_ON: succeeded, failed, rolled-back, paused */
  on?: readonly NoticeEvent[];
  /** Time one notice may take per target, retries included; then it is abandoned. @default 10_000 */
  timeoutMs?: number;
  /** Further attempts after a 5xx or network failure. @default 2 */
  retries?: number;
  /** Delay before the first retry, doubling after each. @default 500, or a tenth of `timeoutMs` when less */
  retryDelayMs?: number;
  /** @default the real clock */
  clock?: NotifyClock;
  /** Abandons deliveries in flight (they fail with ERR_NOTIFY_ABORTED). */
  signal?: AbortSignal;
  /** Every delivery's outcome, as an event (targets redacted). */
  onEvent?: (event: NotifyEvent) => void;
}

/** What one delivery did. JSON-serialisable; the target is redacted. */
export type NotifyEvent =
  | {
      type: 'notify-sent';
      target: string;
      event: NoticeEvent;
      service: string;
      attempts: number;
      durationMs: number;
    }
  | {
      type: 'notify-failed';
      target: string;
      event: NoticeEvent;
      service: string;
      attempts: number;
      durationMs: number;
      error: { name: string; code: string; message: string; status?: number };
    };

/** One target's answer to one notice. */
export interface NotifyReport extends DeliveryOutcome {
  /** The target, redacted. */
  target: string;
}

export interface Notifier {
  /** The targets, redacted (for display). */
  readonly targets: readonly string[];
  /** Whether `event` is one this notifier sends. */
  wants(event: NoticeEvent): boolean;
  /** Sends `notice` to every target (when its event is wanted); never rejects. */
  notify(notice: RolloutNotice): Promise<NotifyReport[]>;
  /** Waits for every delivery in flight. */
  close(): Promise<void>;
}

export function createNotifier(targets: readonly NotifyTarget[], options: NotifierOptions = {}): Notifier {
  const settings = checkOptions(options);
  const on = new Set(options.on ?? DEFAULT_NOTIFY_ON);
  const inFlight = new Set<Promise<unknown>>();
  const send = (target: NotifyTarget, notice: RolloutNotice): Promise<NotifyReport> => {
    const shown = redactTarget(target);
    const work = (async () => {
      // loading the sender (got, Slack, jackd: once per process) counts against the deadline too
      const sender = senderFor(target, notice);
      sender.catch(() => {});
      const attempt = async (signal: AbortSignal) => (await sender)(signal);
      const outcome = await deliver(shown, attempt, {
        ...settings,
        clock: options.clock ?? realClock,
        signal: options.signal,
      });
      report(options.onEvent, shown, notice, outcome);
      return { target: shown, ...outcome };
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
    return work;
  };
  return {
    targets: targets.map(redactTarget),
    wants: (event) => on.has(event),
    async notify(notice) {
      if (!on.has(notice.event)) return [];
      return Promise.all(targets.map((t) => send(t, notice)));
    },
    async close() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

async function senderFor(
  target: NotifyTarget,
  notice: RolloutNotice,
): Promise<(signal: AbortSignal) => Promise<void>> {
  switch (target.kind) {
    case 'slack':
      return (await import('./send/slack.js')).slackSender(target, notice);
    case 'webhook':
      return (await import('./send/webhook.js')).webhookSender(target, notice);
    case 'beanstalkd':
      return (await import('./send/beanstalkd.js')).beanstalkdSender(target, notice);
  }
}

function report(
  onEvent: NotifierOptions['onEvent'],
  target: string,
  notice: RolloutNotice,
  outcome: DeliveryOutcome,
): void {
  if (!onEvent) return;
  const base = {
    target,
    event: notice.event,
    service: notice.service,
    attempts: outcome.attempts,
    durationMs: outcome.durationMs,
  };
  const e = outcome.error as (NotifyError & { status?: number }) | undefined;
  try {
    onEvent(
      e
        ? {
            type: 'notify-failed',
            ...base,
            error: {
              name: e.name,
              code: e.code,
              message: e.message,
              ...(e.status ? { status: e.status } : {}),
            },
          }
        : { type: 'notify-sent', ...base },
    );
  } catch {
    // a listener's failure is the listener's business
  }
}

function checkOptions(o: NotifierOptions): { timeoutMs: number; retries: number; retryDelayMs: number } {
  const int = (
    name: keyof NotifierOptions,
    value: number | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new NotifyOptionsError(name, `must be an integer ${min}–${max}, got ${v}`);
    }
    return v;
  };
  for (const event of o.on ?? []) {
    if (!NOTICE_EVENTS.includes(event)) {
      throw new NotifyOptionsError(
        'on',
        `unknown event ${JSON.stringify(event)} (known: ${NOTICE_EVENTS.join(', ')})`,
      );
    }
  }
  const timeoutMs = int('timeoutMs', o.timeoutMs, 10_000, 1, 3_600_000);
  return {
    timeoutMs,
    retries: int('retries', o.retries, 2, 0, 10),
    retryDelayMs: int('retryDelayMs', o.retryDelayMs, Math.min(500, Math.floor(timeoutMs / 10)), 0, 60_000),
  };
}
