import { describe, expect, it } from 'vitest';
import { type BoardEvent, InstanceBoard } from './instance-board.js';

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
    const board = new InstanceBoard();
    const phases: string[] = [];
    const events: BoardEvent[] = [
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
    }
    expect(phases).toEqual(['pending', 'stopping', 'gone', 'starting', 'launched', 'healthy']);
    expect([...board.rows.keys()]).toEqual(['web@1.service']); // the template is not an instance row
    expect(board.rows.get('web@1.service')).toMatchObject({
      machineID: 'm1234567890',
      systemd: 'active/running',
      batch: 2,
    });
    expect(board.batch).toBe(2);
  });

  it('a create starts at starting; a destroy ends removed; a failure shows its diagnosis', () => {
    const board = new InstanceBoard();
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
});
