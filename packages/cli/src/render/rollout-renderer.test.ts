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
