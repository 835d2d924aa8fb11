/** One request the simulated API answered (or dropped). */
export interface RequestLogEntry {
  /** Clock time the request arrived. */
  time: number;
  method: string;
  /** The raw path, percent-encoded as sent, without the query. */
  path: string;
  /** The raw query string without `?` ('' when none). */
  query: string;
  /** HTTP status, or 0 when the connection was closed without a response. */
  status: number;
  /** Clock milliseconds from arrival to response. */
  durationMs: number;
  /** The fault that shaped the answer, if any. */
  fault?: string;
}

/** Kinds of timeline events. */
export type TimelineEventKind =
  | 'desired'
  | 'current'
  | 'systemd'
  | 'hash'
  | 'scheduled'
  | 'destroyed'
  | 'state'
  | 'machine';

/**
 * One change: `desired` (desiredState), `current` (derived currentState), `systemd` (the real
 * systemd triple `load/active/sub` on a machine, `-` when not loaded there), `hash` (contents
 * replaced), `scheduled` (target machine; `-` when none), `destroyed`, `state` (what /state
 * publishes for that machine; `-` when absent), `machine` (`alive`/`dead`/`gone`).
 */
export interface TimelineEvent {
  time: number;
  unit: string;
  machineID?: string;
  kind: TimelineEventKind;
  from?: string;
  to?: string;
  /** Contents hash involved (systemd, state and hash events). */
  hash?: string;
}
