import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutputMode } from '../output/output-mode.js';
import { createRolloutRenderer } from './rollout-renderer.js';
import { looseEvent } from './test-helpers/loose-event.js';

const base: OutputMode = { format: 'text', live: false, color: false, verbose: false, quiet: false };
const observed = (currentState: string, time: number) =>
  looseEvent({
    type: 'state-observed',
    unit: 'web@1.service',
    currentState,
    machineID: '0123456789',
    time,
  });

function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('plain renderer (not a terminal)', () => {
  it('one timestamped line per event; a polled state only when it changed', async () => {
    const out = capture();
    const r = await createRolloutRenderer(base, 'web');
    r.onEvent(observed('inactive', 0));
    r.onEvent(observed('inactive', 1));
    r.onEvent(observed('launched', 2));
    await r.finish({ service: 'web', outcome: 'succeeded', replaced: ['web@1.service'], durationMs: 1500 });
    expect(out).toEqual([
      '1970-01-01T00:00:00.000Z web@1.service: inactive on 01234567\n',
      '1970-01-01T00:00:00.002Z web@1.service: launched on 01234567\n',
      '✔ web: succeeded in 1.5s — 1 replaced, 0 unchanged, 0 added, 0 removed\n',
    ]);
  });

  it('--verbose prints every poll; --quiet only the summary', async () => {
    let out = capture();
    const verbose = await createRolloutRenderer({ ...base, verbose: true }, 'web');
    verbose.onEvent(observed('inactive', 0));
    verbose.onEvent(observed('inactive', 1));
    expect(out).toHaveLength(2);
    vi.restoreAllMocks();
    out = capture();
    const quiet = await createRolloutRenderer({ ...base, quiet: true }, 'web');
    quiet.onEvent(observed('inactive', 0));
    await quiet.finish({ service: 'web', outcome: 'unchanged' });
    expect(out).toEqual(['✔ web: unchanged — 0 replaced, 0 unchanged, 0 added, 0 removed\n']);
  });
});

describe('plain renderer: a replace, as the engine reports it', () => {
  const OLD = 'a'.repeat(40);
  const NEW = 'b'.repeat(40);
  const M = '0123456789abcdef';
  const sd = { load: 'loaded', active: 'active', sub: 'running' };
  // the events of one recreate replace: the old unit is destroyed and /state still lists it for a
  // while (waitGone), then the new unit is scheduled, launched (no /state read yet), then active
  const replace = [
    { type: 'state-observed', unit: 'web@1.service', systemd: sd, hash: OLD, time: 1 },
    {
      type: 'state-observed',
      unit: 'web@1.service',
      desiredState: 'launched',
      currentState: 'inactive',
      time: 2,
    },
    { type: 'state-observed', unit: 'web@1.service', currentState: 'inactive', machineID: M, time: 3 },
    { type: 'state-observed', unit: 'web@1.service', currentState: 'launched', machineID: M, time: 4 },
    {
      type: 'state-observed',
      unit: 'web@1.service',
      currentState: 'launched',
      machineID: M,
      systemd: sd,
      hash: NEW,
      time: 5,
    },
    { type: 'state-observed', unit: 'web@1.service', currentState: 'launched', machineID: M, time: 6 },
  ];

  it('prints each state change once, and never "absent" with a running systemd state', async () => {
    const out = capture();
    const r = await createRolloutRenderer(base, 'web');
    for (const e of replace) r.onEvent(looseEvent(e));
    const lines = out.map((l) => l.replace(/^\S+ /, '').trimEnd());
    expect(lines).toEqual([
      'web@1.service: destroyed; old instance (aaaaaaa) still active/running',
      'web@1.service: inactive',
      'web@1.service: inactive on 01234567',
      'web@1.service: launched on 01234567',
      'web@1.service: systemd loaded/active/running on 01234567',
    ]);
    expect(lines.join('\n')).not.toMatch(/absent.*systemd/);
  });

  it('ignores event types it does not know (a newer engine, a rollback phase) and labels the rollback plan', async () => {
    const out = capture();
    const r = await createRolloutRenderer(base, 'web');
    r.onEvent(looseEvent({ type: 'rollback-progress', service: 'web', rolloutId: 'r1', phase: 'rollback' }));
    r.onEvent(looseEvent({ type: 'something-new' }));
    r.onEvent(looseEvent({ type: 'rollback-started', reason: 'web@1.service failed', toHash: OLD, time: 1 }));
    r.onEvent(
      looseEvent({
        type: 'plan',
        time: 2,
        plan: {
          steps: [],
          summary: { create: 0, replace: 1, unchanged: 2, remove: 0, templateChanged: true },
        },
      }),
    );
    expect(out.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'rolling back: web@1.service failed\n',
      'rollback plan: 0 to create, 1 to replace, 2 unchanged, 0 to remove, template changed\n',
    ]);
  });
});

describe('ndjson renderer', () => {
  it('writes every event as one JSON line, as is', async () => {
    const out = capture();
    const r = await createRolloutRenderer({ ...base, format: 'ndjson' }, 'web');
    const event = observed('launched', 5);
    r.onEvent(event);
    await r.finish(undefined);
    expect(out).toEqual([`${JSON.stringify(event)}\n`]);
  });
});

describe('json renderer', () => {
  it('writes nothing while running (the command prints one document at the end)', async () => {
    const out = capture();
    const r = await createRolloutRenderer({ ...base, format: 'json' }, 'web');
    r.onEvent(observed('launched', 5));
    await r.finish({ service: 'web', outcome: 'succeeded' });
    expect(out).toEqual([]);
  });
});
