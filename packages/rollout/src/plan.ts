/** The Plan: ordered steps as pure data (JSON-serialisable, printable — that is `--dry-run`). */
import type { JobState, UnitOption } from '@fleet-service/fleet-client';
import type { ReplaceMode, ResolvedSettings } from './spec.js';

/** The verb of a step (design.md glossary verbs; `replace` = new contents on an existing unit). */
export type StepAction = 'create' | 'replace' | 'start' | 'destroy' | 'watch';

/** What the step's unit is to the service. */
export type StepRole =
  | 'template'
  | 'instance'
  | 'surge'
  | 'canary'
  | 'extra'
  | 'non-instanced'
  | 'non-indexed'
  | 'record';

/** Why a step is in the plan; one line each. */
export const STEP_REASONS = Object.freeze({
  /** The template `S@.service` does not exist. */
  templateMissing: 'template-missing',
  /** The template exists with other contents. */
  templateChanged: 'template-changed',
  /** Index ≤ N has no unit. */
  scaleUp: 'scale-up',
  /** The instance's contents hash differs from the new hash. */
  hashChanged: 'hash-changed',
  /** `force`: same hash, replaced anyway. */
  forced: 'forced',
  /** The instance already has the new contents but is not running (e.g. an interrupted rollout). */
  notRunning: 'not-running',
  /** A spare index started before old instances stop (maxSurge). */
  surgeSpare: 'surge-spare',
  /** The spare's job is done. */
  surgeDone: 'surge-done',
  /** Index above N. */
  aboveCount: 'above-count',
  /** `S.service`, replaced by the instances. */
  nonInstanced: 'non-instanced',
  /** `S@blue.service`: an instance without a number. */
  nonIndexed: 'non-indexed',
  /** A canary: the new contents on an extra index beside the N serving instances. */
  canary: 'canary',
  /** Watch the canaries stay healthy before promoting them by itself (`canaryAutoPromoteMs`). */
  canaryWatch: 'canary-watch',
  /** Promoted (or rolled back): the canary's index goes. */
  canaryDone: 'canary-done',
  /** The whole service is being destroyed (destroyService, or rolling back a fresh create). */
  teardown: 'teardown',
} as const);

export type StepReason = (typeof STEP_REASONS)[keyof typeof STEP_REASONS];

/** One step. Steps with the same `batch` run together; batches run in order. */
export interface PlanStep {
  /** 1-based position in the plan. */
  id: number;
  /** 1-based batch number. */
  batch: number;
  action: StepAction;
  role: StepRole;
  unit: string;
  /** Instance index, for indexed instances. */
  index?: number;
  reason: StepReason;
  /** Contents hash the unit must have before the step (drift check); absent = the unit must not exist. */
  fromHash?: string;
  /** Contents hash after the step (create, replace, start). */
  toHash?: string;
  /** desiredState after the step (`inactive` for the template, `launched` for instances). */
  desiredState?: JobState;
  /** Machine the unit was on when planned. */
  machineID?: string;
  /** For `replace` of an instance. */
  mode?: ReplaceMode;
  /** Lifecycle hooks this step runs, in order (`pre-stop` before its take-down, `post-start` once healthy). */
  hooks?: HookName[];
  /** `watch`: how long the units in `watchUnits` must stay healthy. */
  durationMs?: number;
  /** `watch`: the units watched (the canaries). */
  watchUnits?: string[];
  /** Per machine: the unit's contents are the plan's `unitFile` with `MachineID=` this machine. */
  pinnedTo?: string;
}

export type HookName = 'pre-stop' | 'post-start';

/** Contents to restore on rollback. */
export interface PreviousContents {
  hash: string;
  options: UnitOption[];
  count: number;
}

export interface PlanSummary {
  create: number;
  replace: number;
  start: number;
  unchanged: number;
  remove: number;
  surge: number;
  /** Canary instances this plan creates (absent: none). */
  canary?: number;
  templateChanged: boolean;
  batches: number;
}

export interface Plan {
  service: string;
  /** Hash of `unitFile`. */
  newHash: string;
  /** The contents before this rollout, if known (what rollback restores). */
  previousHash?: string;
  count: number;
  /** The new unit file, normalised as fleet stores it. */
  unitFile: UnitOption[];
  previous?: PreviousContents;
  settings: ResolvedSettings;
  /** fleetd version the plan was made for. */
  serverVersion?: string;
  steps: PlanStep[];
  /** Instances left alone. */
  unchanged: string[];
  summary: PlanSummary;
  /** Serialized unit files, old and new, for display. */
  diff?: { from: string; to: string };
  /** Remarks the planner made (e.g. a fallback). */
  notes: string[];
  /** A canary plan: its canaries, and whether it promotes by itself (else it stops with outcome `canary`). */
  canary?: { count: number; units: string[]; autoPromoteMs?: number };
  /** A `Global=true` unit rolled per machine: which instance is pinned to which machine. */
  perMachine?: { unit: string; machineID: string }[];
}
