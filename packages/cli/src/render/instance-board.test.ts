import type { RolloutEvent } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { InstanceBoard } from './instance-board.js';
import { type LooseEvent, looseEvent } from './test-helpers/loose-event.js';

/** The board, fed events written with only the fields each test is about. */
class Board extends InstanceBoard {
  override apply(event: LooseEvent | RolloutEvent) {
    return super.apply(looseEvent(event as LooseEvent));
  }
}

const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);
const step = (action: string, unit: string, batch: number, extra: Record<string, unknown> = {}) => ({
  action,
  unit,
  batch,
  index: Number(/@(\d+)/.exec(unit)?.[1]),
  toHash: NEW,
  ...extra,
});

describe('InstanceBoard', () => {
  it('follows a recreate through stopping → gone → starting → launched → healthy', () => {
    const board = new Board();
    const phases: string[] = [];
    const statuses: string[] = [];
    const events: LooseEvent[] = [
      {
        type: 'plan',
        plan: { steps: [step('replace', 'web@.service', 1), step('replace', 'web@1.service', 2)] },
      },
      { type: 'step-started', step: step('replace', 'web@1.service', 2) },
      {
        type: 'state-observed',
        unit: 'web@1.service',
        systemd: { active: 'active', sub: 'running' },
        hash: OLD,
      },
      { type: 'state-observed', unit: 'web@1.service', currentState: 'inactive' },
      { type: 'state-observed', unit: 'web@1.service', currentState: 'launched', machineID: 'm1234567890' },
      {
        type: 'state-observed',
        unit: 'web@1.service',
        currentState: 'launched',
        machineID: 'm1234567890',
        systemd: { active: 'active', sub: 'running' },
        hash: NEW,
      },
      { type: 'instance-healthy', unit: 'web@1.service', index: 1, machineID: 'm1234567890' },
    ];
    for (const e of events) {
      board.apply(e);
      const row = board.rows.get('web@1.service');
      if (row && phases.at(-1) !== row.phase) phases.push(row.phase);
      if (row && statuses.at(-1) !== row.status) statuses.push(row.status);
    }
    expect(phases).toEqual(['pending', 'stopping', 'gone', 'starting', 'launched', 'healthy']);
    // worked on from its step's start; done as soon as it is healthy (before step-finished)
    expect(statuses).toEqual(['pending', 'running', 'done']);
    expect([...board.rows.keys()]).toEqual(['web@1.service']); // the template is not an instance row
    expect(board.rows.get('web@1.service')).toMatchObject({
      machineID: 'm1234567890',
      systemd: 'active/running',
      batch: 2,
    });
    expect(board.batch).toBe(2);
  });

  it('a create starts at starting; a destroy ends removed; a failure shows its diagnosis', () => {
    const board = new Board();
    board.apply({ type: 'step-started', step: step('create', 'web@4.service', 1) });
    expect(board.rows.get('web@4.service')?.phase).toBe('starting');
    board.apply({
      type: 'instance-failed',
      unit: 'web@4.service',
      diagnosis: 'systemd reports failed/failed',
    });
    expect(board.rows.get('web@4.service')).toMatchObject({
      phase: 'failed',
      diagnosis: 'systemd reports failed/failed',
    });
    board.apply({ type: 'step-started', step: step('destroy', 'web@5.service', 2) });
    board.apply({ type: 'step-finished', step: step('destroy', 'web@5.service', 2) });
    expect(board.rows.get('web@5.service')?.phase).toBe('removed');
    board.apply({ type: 'rollback-started' });
    expect(board.rollingBack).toBe(true);
  });

  it('status: a step moves a row to running, step-finished (also skipped) to done, a failure to failed; a later step runs it again', () => {
    const board = new Board();
    const status = (unit: string) => board.rows.get(unit)?.status;
    board.apply({
      type: 'plan',
      plan: {
        steps: [
          step('create', 'web@3.service', 1),
          step('replace', 'web@1.service', 2),
          step('destroy', 'web@3.service', 3),
        ],
      },
    });
    expect([status('web@1.service'), status('web@3.service')]).toEqual(['pending', 'pending']);
    board.apply({ type: 'step-started', step: step('create', 'web@3.service', 1) });
    expect(status('web@3.service')).toBe('running');
    expect(status('web@1.service')).toBe('pending');
    board.apply({ type: 'instance-healthy', unit: 'web@3.service', index: 3 });
    board.apply({ type: 'step-finished', step: step('create', 'web@3.service', 1) });
    expect(status('web@3.service')).toBe('done');
    // a replace that found the unit already as wanted is skipped: done, not left spinning
    board.apply({ type: 'step-started', step: step('replace', 'web@1.service', 2) });
    board.apply({ type: 'step-finished', step: step('replace', 'web@1.service', 2), skipped: true });
    expect(status('web@1.service')).toBe('done');
    // the surge spare's removal runs it again, and it ends done (removed)
    board.apply({ type: 'step-started', step: step('destroy', 'web@3.service', 3) });
    expect(board.rows.get('web@3.service')).toMatchObject({ status: 'running', phase: 'stopping' });
    board.apply({ type: 'step-finished', step: step('destroy', 'web@3.service', 3) });
    expect(board.rows.get('web@3.service')).toMatchObject({ status: 'done', phase: 'removed' });
    // a step that fails without a health verdict fails the row
    board.apply({ type: 'step-started', step: step('replace', 'web@2.service', 4) });
    board.apply({
      type: 'step-failed',
      step: step('replace', 'web@2.service', 4),
      error: { name: 'StateTimeoutError' },
    });
    expect(board.rows.get('web@2.service')).toMatchObject({ status: 'failed', phase: 'failed' });
  });

  it('a take-down the abort cancelled leaves the row as it was (not failed)', () => {
    const board = new Board();
    board.apply({ type: 'plan', plan: { steps: [step('replace', 'web@2.service', 2)] } });
    board.apply({ type: 'step-started', step: step('replace', 'web@2.service', 2) });
    expect(board.rows.get('web@2.service')).toMatchObject({ status: 'running', phase: 'stopping' });
    board.apply({
      type: 'step-failed',
      step: step('replace', 'web@2.service', 2),
      error: { name: 'TakeDownCancelled', message: 'rollout aborted before web@2.service was taken down' },
    });
    expect(board.rows.get('web@2.service')).toMatchObject({ status: 'pending', phase: 'pending' });
  });
});
