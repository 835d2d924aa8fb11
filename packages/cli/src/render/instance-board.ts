/**
 * The state of every instance as the events tell it, for the renderers: one row per unit,
 * moving through stopping → gone → starting → launched → healthy (or failed), and whether the
 * rollout is working on it right now (its `status`).
 * Pure: it only folds events; it reads no clock and prints nothing. Event types it does not know
 * (a newer engine's) change nothing.
 */
import type { RolloutEvent } from '@fleet-service/rollout';

export type Phase =
  | 'pending'
  | 'stopping'
  | 'gone'
  | 'starting'
  | 'launched'
  | 'healthy'
  | 'removed'
  | 'failed';

/**
 * Whether the rollout is working on the instance: `pending` — no step of it runs (not started
 * yet, or waiting for its next step); `running` — one of its steps runs; `done` — its step
 * finished (healthy, removed, or nothing to do); `failed` — its step or health check failed.
 * A later step (a surge spare's removal, a rollback) moves a done or failed row to `running` again.
 */
export type RowStatus = 'pending' | 'running' | 'done' | 'failed';

/** The engine's error name for a take-down the abort stopped before it changed anything. */
const TAKE_DOWN_CANCELLED = 'TakeDownCancelled';

export interface InstanceRow {
  unit: string;
  index?: number;
  phase: Phase;
  status: RowStatus;
  batch?: number;
  machineID?: string;
  /** systemd `active/sub`, when seen. */
  systemd?: string;
  /** The failure diagnosis, when failed. */
  diagnosis?: string;
  /** The hash the current step gives the unit. */
  toHash?: string;
}

const STOP_ACTIONS = new Set<string>(['replace', 'destroy']);
const START_ACTIONS = new Set<string>(['create', 'start']);

/** Unit names the board shows: instances `S@N.service` and the non-instanced `S.service`. */
function isInstanceLike(unit: string): boolean {
  return /@\d+\.service$/.test(unit) || (!unit.includes('@') && unit.endsWith('.service'));
}

export class InstanceBoard {
  readonly rows = new Map<string, InstanceRow>();
  /** The batch of the step most recently started. */
  batch: number | undefined;
  /** Rollback in progress. */
  rollingBack = false;
  /** Each running step's unit → the row's phase and status before it started (to undo a cancelled one). */
  private readonly beforeStep = new Map<string, Pick<InstanceRow, 'phase' | 'status'>>();

  /** Applies one event; returns the row it changed, if any. */
  apply(event: RolloutEvent): InstanceRow | undefined {
    switch (event.type) {
      case 'plan': {
        for (const step of event.plan.steps) {
          if (isInstanceLike(step.unit) && !this.rows.has(step.unit)) {
            this.rows.set(step.unit, {
              unit: step.unit,
              phase: 'pending',
              status: 'pending',
              ...idx(step.index),
              ...bt(step.batch),
            });
          }
        }
        return undefined;
      }
      case 'step-started': {
        const step = event.step;
        if (!isInstanceLike(step.unit)) return undefined;
        if (step.batch !== undefined) this.batch = step.batch;
        const row = this.row(step.unit, step.index);
        if (step.batch !== undefined) row.batch = step.batch;
        if (step.toHash) row.toHash = step.toHash;
        else delete row.toHash;
        delete row.diagnosis;
        this.beforeStep.set(step.unit, { phase: row.phase, status: row.status });
        row.status = 'running';
        if (STOP_ACTIONS.has(step.action)) row.phase = 'stopping';
        else if (START_ACTIONS.has(step.action)) row.phase = 'starting';
        return row;
      }
      case 'step-finished': {
        const step = event.step;
        if (!isInstanceLike(step.unit)) return undefined;
        const row = this.row(step.unit, step.index);
        this.beforeStep.delete(step.unit);
        if (step.action === 'destroy') row.phase = 'removed';
        // a skipped step found nothing to do; a finished one left the unit as the step wants it
        if (row.status !== 'failed') row.status = 'done';
        return row;
      }
      case 'step-failed': {
        const step = event.step;
        if (!isInstanceLike(step.unit)) return undefined;
        const row = this.row(step.unit, step.index);
        const before = this.beforeStep.get(step.unit);
        this.beforeStep.delete(step.unit);
        if (event.error.name === TAKE_DOWN_CANCELLED && before) {
          // the abort stopped the step before it touched the unit: it is as it was
          row.phase = before.phase;
          row.status = before.status;
          return row;
        }
        row.phase = 'failed';
        row.status = 'failed';
        return row;
      }
      case 'state-observed': {
        if (!isInstanceLike(event.unit)) return undefined;
        const row = this.row(event.unit, undefined);
        if (event.machineID) row.machineID = event.machineID;
        if (event.systemd && event.currentState !== undefined) {
          row.systemd = `${event.systemd.active ?? '?'}/${event.systemd.sub ?? '?'}`;
        }
        const isNew = row.toHash === undefined || event.hash === undefined || event.hash === row.toHash;
        if (event.currentState === undefined && event.machineID === undefined) {
          // absent: the old unit is gone
          delete row.systemd;
          delete row.machineID;
          if (row.phase === 'stopping') row.phase = 'gone';
        } else if (
          row.phase === 'gone' ||
          (row.phase === 'stopping' && event.hash !== undefined && event.hash === row.toHash)
        ) {
          row.phase = 'starting';
        }
        if (event.currentState === 'launched' && isNew && row.phase === 'starting') row.phase = 'launched';
        return row;
      }
      case 'instance-healthy': {
        const row = this.row(event.unit, event.index);
        row.phase = 'healthy';
        row.status = 'done';
        if (event.machineID) row.machineID = event.machineID;
        return row;
      }
      case 'instance-failed': {
        const row = this.row(event.unit, event.index);
        row.phase = 'failed';
        row.status = 'failed';
        if (event.diagnosis) row.diagnosis = event.diagnosis;
        if (event.machineID) row.machineID = event.machineID;
        return row;
      }
      case 'rollback-started':
        this.rollingBack = true;
        return undefined;
      default:
        return undefined;
    }
  }

  private row(unit: string, index: number | undefined): InstanceRow {
    let row = this.rows.get(unit);
    if (!row) {
      row = { unit, phase: 'pending', status: 'pending', ...idx(index ?? indexOf(unit)) };
      this.rows.set(unit, row);
    }
    return row;
  }
}

function idx(index: number | undefined): { index?: number } {
  return index === undefined ? {} : { index };
}
function bt(batch: number | undefined): { batch?: number } {
  return batch === undefined ? {} : { batch };
}
function indexOf(unit: string): number | undefined {
  const m = /@(\d+)\.service$/.exec(unit);
  return m ? Number(m[1]) : undefined;
}
