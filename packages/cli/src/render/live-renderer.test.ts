import type { RolloutEvent } from '@fleet-service/rollout';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutputMode } from '../output/output-mode.js';
import { LiveRenderer } from './live-renderer.js';
import { type LooseEvent, looseEvent } from './test-helpers/loose-event.js';

/** The live view, fed events written with only the fields each test is about. */
class Live extends LiveRenderer {
  override onEvent(event: LooseEvent | RolloutEvent) {
    super.onEvent(looseEvent(event as LooseEvent));
  }
}

const mode: OutputMode = { format: 'text', live: true, color: false, verbose: false, quiet: false };
const V1 = '1'.repeat(40);
const V2 = '2'.repeat(40);
const M1 = 'a1b2c3d4e5f60718';
const M2 = 'b1b2c3d4e5f60718';

type Step = { id: number; batch: number; action: string; role: string; unit: string; index?: number };
const step = (
  id: number,
  batch: number,
  action: string,
  unit: string,
  toHash = V2,
): Step & {
  toHash: string;
} => {
  const index = /@(\d+)\.service$/.exec(unit)?.[1];
  return {
    id,
    batch,
    action,
    role: unit.includes('@.') ? 'template' : 'instance',
    unit,
    toHash,
    ...(index ? { index: Number(index) } : {}),
  };
};

/** Captures stdout; the test renderer writes one JSON line per listr2 task state or title change. */
function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

interface Change {
  event: string;
  data: unknown;
  task?: { title?: string };
}

/** Each row's (and the header's) listr2 states so far, in order, repeats dropped. */
function statesOf(out: string[]): Map<string, string[]> {
  const states = new Map<string, string[]>();
  for (const line of out.join('').split('\n')) {
    if (!line.startsWith('{')) continue;
    const change = JSON.parse(line) as Change;
    if (change.event !== 'STATE') continue;
    const title = change.task?.title ?? '';
    const key = title.startsWith('web:') ? 'header' : (title.split(/\s+/)[0] ?? '');
    const seen = states.get(key) ?? [];
    if (seen.at(-1) !== change.data) seen.push(String(change.data));
    states.set(key, seen);
  }
  return states;
}

/** The header's titles so far, in order. */
function headerTitles(out: string[]): string[] {
  return out
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Change)
    .filter((c) => c.event === 'TITLE' && String(c.data).startsWith('web:'))
    .map((c) => String(c.data));
}

/** Lets listr2 run its tasks (it starts them a few microtasks/ticks after `run`). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LiveRenderer (listr2 rows follow the instances)', () => {
  it('a row is idle until its step starts, spins while it runs, is done at once when healthy, fails at once, and runs again in a rollback', async () => {
    const out = capture();
    const r = new Live('web: rolling out', mode, { listrRenderer: 'test' });
    const now = () => Date.now();
    const current = (unit: string) => statesOf(out).get(unit)?.at(-1);
    const forward = [
      step(1, 1, 'replace', 'web@.service'),
      step(2, 2, 'replace', 'web@1.service'),
      step(3, 3, 'replace', 'web@2.service'),
      step(4, 4, 'replace', 'web@3.service'),
    ];
    r.onEvent({ type: 'lock-acquired', service: 'web', time: now() });
    r.onEvent({ type: 'plan', plan: { steps: forward, summary: { replace: 3 } }, time: now() });
    await settle();
    // before any step: every row waits, none spins
    expect(['web@1.service', 'web@2.service', 'web@3.service'].map(current)).toEqual([
      'WAITING',
      'WAITING',
      'WAITING',
    ]);
    expect(current('header')).toBe('STARTED');

    // the template is no row; its step changes nothing below
    r.onEvent({ type: 'step-started', step: forward[0], time: now() });
    r.onEvent({ type: 'step-finished', step: forward[0], durationMs: 5, time: now() });
    expect(current('web@1.service')).toBe('WAITING');

    // web@1: stopping → gone → starting → launched → healthy, done as soon as it is healthy
    r.onEvent({ type: 'step-started', step: forward[1], time: now() });
    expect(current('web@1.service')).toBe('STARTED');
    expect(current('web@2.service')).toBe('WAITING');
    r.onEvent({ type: 'state-observed', unit: 'web@1.service', time: now() });
    r.onEvent({
      type: 'state-observed',
      unit: 'web@1.service',
      currentState: 'launched',
      machineID: M1,
      systemd: { load: 'loaded', active: 'active', sub: 'running' },
      hash: V2,
      time: now(),
    });
    expect(current('web@1.service')).toBe('STARTED');
    r.onEvent({ type: 'instance-healthy', unit: 'web@1.service', index: 1, machineID: M1, time: now() });
    expect(current('web@1.service')).toBe('COMPLETED'); // before its step-finished, before the run ends
    r.onEvent({ type: 'step-finished', step: forward[1], durationMs: 50, time: now() });
    expect(current('web@1.service')).toBe('COMPLETED');

    // web@2 fails: ✖ at once; web@3 still waits
    r.onEvent({ type: 'step-started', step: forward[2], time: now() });
    expect(current('web@2.service')).toBe('STARTED');
    expect(current('web@1.service')).toBe('COMPLETED');
    r.onEvent({
      type: 'instance-failed',
      unit: 'web@2.service',
      index: 2,
      diagnosis: 'systemd reports failed/failed',
      machineID: M2,
      time: now(),
    });
    expect(current('web@2.service')).toBe('FAILED');
    r.onEvent({
      type: 'step-failed',
      step: forward[2],
      durationMs: 40,
      error: { name: 'InstanceFailedError', message: 'failed' },
      time: now(),
    });
    expect(current('web@3.service')).toBe('WAITING');

    // rollback: web@2 and web@1 are worked on again
    r.onEvent({ type: 'rollback-started', reason: 'web@2.service failed', toHash: V1, time: now() });
    const back = [
      step(1, 1, 'replace', 'web@.service', V1),
      step(2, 2, 'replace', 'web@2.service', V1),
      step(3, 3, 'replace', 'web@1.service', V1),
    ];
    r.onEvent({ type: 'plan', plan: { steps: back }, time: now() });
    r.onEvent({ type: 'step-started', step: back[1], time: now() });
    expect(current('web@2.service')).toBe('STARTED');
    r.onEvent({ type: 'instance-healthy', unit: 'web@2.service', index: 2, machineID: M2, time: now() });
    r.onEvent({ type: 'step-finished', step: back[1], durationMs: 50, time: now() });
    r.onEvent({ type: 'step-started', step: back[2], time: now() });
    expect(current('web@1.service')).toBe('STARTED');
    r.onEvent({ type: 'instance-healthy', unit: 'web@1.service', index: 1, machineID: M1, time: now() });
    r.onEvent({ type: 'step-finished', step: back[2], durationMs: 50, time: now() });

    await r.finish({ service: 'web', outcome: 'rolled-back', durationMs: 900 });
    const states = statesOf(out);
    // listr2 starts every task (STARTED) and the row goes idle at once (WAITING) until its step starts
    expect(states.get('web@1.service')).toEqual([
      'STARTED',
      'WAITING',
      'STARTED',
      'COMPLETED',
      'STARTED',
      'COMPLETED',
    ]);
    expect(states.get('web@2.service')).toEqual([
      'STARTED',
      'WAITING',
      'STARTED',
      'FAILED',
      'STARTED',
      'COMPLETED',
    ]);
    expect(states.get('web@3.service')).toEqual(['STARTED', 'WAITING', 'SKIPPED']); // never started
    expect(states.get('header')?.at(-1)).toBe('ROLLED_BACK'); // not ✔
    expect(out.join('')).toContain('↺ web: rolled-back in 900ms');
    expect(headerTitles(out).at(-1)).toMatch(/^web: rolled back · /);
  });

  it('a surge spare is done when healthy, runs again for its removal and ends done; the header completes on success', async () => {
    const out = capture();
    const r = new Live('web: rolling out', mode, { listrRenderer: 'test' });
    const now = () => Date.now();
    const steps = [step(1, 1, 'create', 'web@3.service'), step(2, 2, 'replace', 'web@1.service')];
    const remove = { ...step(3, 3, 'destroy', 'web@3.service'), role: 'surge' };
    r.onEvent({ type: 'plan', plan: { steps: [...steps, remove] }, time: now() });
    await settle();
    for (const s of steps) {
      r.onEvent({ type: 'step-started', step: s, time: now() });
      r.onEvent({ type: 'instance-healthy', unit: s.unit, index: s.index, machineID: M1, time: now() });
      r.onEvent({ type: 'step-finished', step: s, durationMs: 10, time: now() });
    }
    r.onEvent({ type: 'step-started', step: remove, time: now() });
    expect(statesOf(out).get('web@3.service')?.at(-1)).toBe('STARTED');
    r.onEvent({ type: 'state-observed', unit: 'web@3.service', time: now() });
    r.onEvent({ type: 'step-finished', step: remove, durationMs: 10, time: now() });
    await r.finish({ service: 'web', outcome: 'succeeded', durationMs: 100 });
    const states = statesOf(out);
    expect(states.get('web@3.service')).toEqual([
      'STARTED',
      'WAITING',
      'STARTED',
      'COMPLETED',
      'STARTED',
      'COMPLETED',
    ]);
    expect(states.get('web@1.service')).toEqual(['STARTED', 'WAITING', 'STARTED', 'COMPLETED']);
    expect(states.get('header')?.at(-1)).toBe('COMPLETED');
    // the finished frame says how the run ended, not "rolling out"
    expect(headerTitles(out).at(-1)).toMatch(/^web: succeeded · batch 3 · \d+s$/);
  });

  it('Ctrl-C: the notice goes under the header line by line, the header stays short and ends failed, not ✔', async () => {
    const out = capture();
    const r = new Live('web: rolling out', mode, { listrRenderer: 'test' });
    const s = step(1, 1, 'replace', 'web@1.service');
    r.onEvent({
      type: 'plan',
      plan: { steps: [s, step(2, 2, 'replace', 'web@2.service')] },
      time: Date.now(),
    });
    await settle();
    r.onEvent({ type: 'step-started', step: s, time: Date.now() });
    r.notice('stopping safely (capacity kept, lock released); press Ctrl-C again to exit at once');
    r.onEvent({ type: 'instance-healthy', unit: 'web@1.service', index: 1, machineID: M1, time: Date.now() });
    r.onEvent({ type: 'step-finished', step: s, durationMs: 10, time: Date.now() });
    await r.finish({ service: 'web', outcome: 'aborted', durationMs: 100 });
    const changes = out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Change);
    const outputs = changes.filter((c) => c.event === 'OUTPUT').map((c) => c.data);
    expect(outputs).toEqual([
      'stopping safely (capacity kept, lock released)',
      'press Ctrl-C again to exit at once',
    ]);
    const headerTitles = changes
      .filter((c) => c.event === 'TITLE' && String(c.data).startsWith('web:'))
      .map((c) => String(c.data));
    for (const title of headerTitles) expect(title.length).toBeLessThan(60);
    expect(headerTitles.at(-1)).toMatch(/^web: aborted · batch 1 · \d+s$/);
    const states = statesOf(out);
    expect(states.get('header')?.at(-1)).toBe('FAILED');
    expect(states.get('web@1.service')?.at(-1)).toBe('COMPLETED');
    expect(states.get('web@2.service')?.at(-1)).toBe('SKIPPED');
  });

  it('without a result (fs destroy prints its own), the rows decide: all done → the header completes, else it ends stopped', async () => {
    for (const finishAll of [true, false]) {
      vi.restoreAllMocks();
      const out = capture();
      const r = new Live('web: destroying', mode, { listrRenderer: 'test' });
      const steps = [step(1, 1, 'destroy', 'web@1.service'), step(2, 1, 'destroy', 'web@2.service')];
      r.onEvent({ type: 'plan', plan: { steps }, time: Date.now() });
      await settle();
      for (const s of finishAll ? steps : steps.slice(0, 1)) {
        r.onEvent({ type: 'step-started', step: s, time: Date.now() });
        r.onEvent({ type: 'step-finished', step: s, durationMs: 5, time: Date.now() });
      }
      await r.finish(undefined);
      const states = statesOf(out);
      expect(states.get('web@1.service')?.at(-1)).toBe('COMPLETED');
      expect(states.get('header')?.at(-1)).toBe(finishAll ? 'COMPLETED' : 'FAILED');
      const titles = out
        .join('')
        .split('\n')
        .filter((l) => l.includes('"TITLE"'));
      if (!finishAll) expect(titles.at(-1)).toMatch(/web: stopped/);
    }
  });

  it('a terminal that reports 0 columns gets whole lines (80 columns), not one character per line', async () => {
    const stdout = process.stdout as NodeJS.WriteStream & { columns: number; rows: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns, rows: stdout.rows };
    // what `script` or `docker exec -t` report: a terminal without a size
    Object.assign(stdout, { isTTY: true, columns: 0, rows: 0 });
    try {
      const out = capture();
      const r = new Live('web: rolling out', mode); // listr2's own drawing, as in a terminal
      const steps = [step(1, 1, 'replace', 'web@1.service'), step(2, 1, 'replace', 'web@2.service')];
      r.onEvent({ type: 'plan', plan: { steps }, time: Date.now() });
      await settle();
      r.onEvent({ type: 'step-started', step: steps[0], time: Date.now() });
      await settle();
      r.onEvent({
        type: 'instance-healthy',
        unit: 'web@1.service',
        index: 1,
        machineID: M1,
        time: Date.now(),
      });
      await settle();
      await r.finish({ service: 'web', outcome: 'succeeded', durationMs: 10 });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's escape codes
      const text = out.join('').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      expect(lines.some((l) => l.includes('web@1.service') && l.includes('healthy'))).toBe(true);
      expect(lines.filter((l) => l.trim().length === 1)).toEqual([]);
      expect(stdout.columns).toBe(0); // put back afterwards
    } finally {
      Object.assign(stdout, saved);
    }
  });

  it('takes a rollback phase in its stride: a second plan and event types it does not know change nothing and throw nothing', async () => {
    const out = capture();
    const r = new Live('web: rolling out', mode, { listrRenderer: 'test' });
    const s1 = step(1, 1, 'replace', 'web@1.service');
    r.onEvent({ type: 'plan', plan: { steps: [s1] }, time: Date.now() });
    await settle();
    r.onEvent({ type: 'step-started', step: s1, time: Date.now() });
    expect(() => {
      r.onEvent({ type: 'rollback-started', reason: 'web@1.service failed', toHash: V1, time: Date.now() });
      r.onEvent({
        type: 'plan',
        plan: { steps: [step(1, 1, 'destroy', 'web@9.service', V1)] },
        time: Date.now(),
      });
      r.onEvent({ type: 'rollback-finished', service: 'web', rolloutId: 'r-1', time: Date.now() });
      r.onEvent({ type: 'some-future-event', time: Date.now() });
    }).not.toThrow();
    await r.finish({ service: 'web', outcome: 'rolled-back', durationMs: 5 });
    expect(headerTitles(out).at(-1)).toMatch(/^web: rolled back · /);
  });
});
