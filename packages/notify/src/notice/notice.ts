/**
 * RolloutNotice: what a notification tells, built by a front end (or by `createNoticeTracker`) from
 * a rollout's events and result. JSON-serialisable; it holds no secret.
 */
import type { DestroyResult, ResultError, RolloutOutcome, RolloutResult } from '@fleet-service/rollout';

/**
 * The events a notification can be about. `started`: the plan has steps and the first is about to
 * run. The rest are outcomes: `succeeded` (rolled out, or destroyed), `unchanged` (nothing to do),
 * `failed` (failed, aborted, or the automatic rollback failed too), `rolled-back`, `paused`.
 */
export const NOTICE_EVENTS = Object.freeze([
  'started',
  'succeeded',
  'unchanged',
  'failed',
  'rolled-back',
  'paused',
] as const);

export type NoticeEvent = (typeof NOTICE_EVENTS)[number];

/** What `createNotifier` sends by default: the outcomes that changed or failed something, not `started` or `unchanged`. */
export const DEFAULT_NOTIFY_ON: readonly NoticeEvent[] = Object.freeze([
  'succeeded',
  'failed',
  'rolled-back',
  'paused',
]);

/** The instance that failed, as the engine's `instance-failed` event saw it. */
export interface NoticeFailure {
  unit: string;
  /** One sentence: what systemd or fleet said. */
  diagnosis?: string;
  systemd?: { load?: string; active?: string; sub?: string };
  machineID?: string;
  /** The machine's IP, when the front end looked it up. */
  primaryIP?: string;
}

export interface RolloutNotice {
  event: NoticeEvent;
  /** What ran: `create`, `rollback`, `destroy`, `apply`, … */
  action: string;
  service: string;
  /** The engine's exact outcome (`aborted`, `rollback-failed`, …), or `destroyed`; absent for `started`. */
  outcome?: RolloutOutcome | 'destroyed';
  /**
   * The version rolled out: the unit's `VERSION=` environment value, else its container image's
   * tag, else the contents hash. For `rolled-back` it is the version that failed.
   */
  version: string;
  /** The container image (`me/blog:v1.12`) when the unit runs one (`docker run … IMAGE`). */
  image?: string;
  /** Contents hash of the version rolled out ('' when unknown, e.g. destroy). */
  hash: string;
  /** After an automatic rollback: the version put back. */
  rolledBackTo?: string;
  /** Instances given the new contents (replaced or started), and created. */
  replaced: number;
  added: number;
  removed: number;
  durationMs?: number;
  /** Who ran it: user name and host. */
  user?: string;
  host?: string;
  rolloutId?: string;
  failure?: NoticeFailure;
  /** What ended the rollout, as the engine reports it. */
  error?: ResultError;
  /** The process exit code the front end decided (the CLI's), if any. */
  exitCode?: number;
  /** The whole result, as `fs … --json` prints it in `result`. */
  result?: RolloutResult | DestroyResult;
}

/** The notice event for an engine outcome. */
export function eventOfOutcome(outcome: RolloutOutcome): NoticeEvent {
  switch (outcome) {
    case 'succeeded':
    case 'unchanged':
    case 'rolled-back':
    case 'paused':
      return outcome;
    default:
      return 'failed'; // failed, aborted, rollback-failed
  }
}
