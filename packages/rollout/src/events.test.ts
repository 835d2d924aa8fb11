// Events are deep-frozen copies: a listener can change neither the engine's objects nor what
// another listener sees, and a plan's steps are copied once per run, not once per event.
import { describe, expect, it } from 'vitest';
import { emit, frozenCopy, type RolloutEvent, tagEvents } from './events.js';
import type { PlanStep } from './plan.js';

const step = (id: number): PlanStep => ({
  id,
  batch: 1,
  action: 'create',
  role: 'instance',
  unit: `web@${id}.service`,
  index: id,
  reason: 'scale-up',
});

describe('frozenCopy', () => {
  it('copies deeply and freezes the copy, never the original', () => {
    const original = { a: { b: [1, { c: 2 }] } };
    const copy = frozenCopy(original);
    expect(copy).toEqual(original);
    expect(Object.isFrozen(copy.a.b[1])).toBe(true);
    expect(Object.isFrozen(original.a)).toBe(false);
    expect(() => {
      (copy.a as { b: unknown }).b = 1;
    }).toThrow(TypeError);
  });

  it('shares the copy of an object across events: a step costs one copy per run', () => {
    const steps = [step(1), step(2)];
    const a = frozenCopy({ steps });
    const b = frozenCopy({ step: steps[1] });
    expect(b.step).toBe(a.steps[1]);
    expect(frozenCopy(a.steps[0])).toBe(a.steps[0]);
  });

  it('emits a frozen event with its tags; a throwing listener does not break the emitter', () => {
    const seen: RolloutEvent[] = [];
    const listener = tagEvents((e) => seen.push(e), { service: 'web', rolloutId: 'r1' });
    emit(listener, 5, { type: 'step-started', step: step(1) });
    emit(
      () => {
        throw new Error('listener bug');
      },
      6,
      { type: 'lock-released' },
    );
    expect(seen[0]).toMatchObject({ type: 'step-started', time: 5, service: 'web', rolloutId: 'r1' });
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen((seen[0] as { step: PlanStep }).step)).toBe(true);
  });
});
