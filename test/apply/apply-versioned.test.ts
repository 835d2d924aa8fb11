// fs apply with `strategy: versioned`: the entry's version runs as S-<version>@1..N beside the
// running one (deployster's blue-green deploys), the old version goes once the new one is healthy,
// and the versions' units are not reported as services missing from the file.
import { afterEach, describe, expect, it } from 'vitest';
import { type ApplyHarness, applyHarness } from './apply-harness.js';
import { cocoUnit } from './source-server.js';

let h: ApplyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const entry = (version: string, extra = '    strategy: versioned') => [
  { name: 'rails@.service', version, count: 2, extra },
];
const railsUnits = (x: ApplyHarness) =>
  x.sim.cluster
    .units()
    .map((u) => u.name)
    .filter((n) => n.startsWith('rails-'))
    .sort();

describe('apply: strategy versioned', () => {
  it('deploys each version beside the last and destroys the old one once the new one is healthy', async () => {
    h = await applyHarness();
    h.source.files.set('rails@.service', cocoUnit('rails'));
    h.setServices(entry('9f88701'));
    const first = await h.run();
    expect(first.result.services.map((s) => [s.service, s.action, s.outcome])).toEqual([
      ['rails', 'create', 'succeeded'],
    ]);
    expect(railsUnits(h)).toEqual([
      'rails-9f88701@.service',
      'rails-9f88701@1.service',
      'rails-9f88701@2.service',
    ]);

    h.setServices(entry('7bdae1c'));
    const from = h.clock.now();
    const second = await h.run();
    expect(second.result.services.map((s) => [s.service, s.action, s.outcome])).toEqual([
      ['rails', 'update', 'succeeded'],
    ]);
    expect(railsUnits(h)).toEqual([
      'rails-7bdae1c@.service',
      'rails-7bdae1c@1.service',
      'rails-7bdae1c@2.service',
    ]);
    const rails = (n: string) => /^rails-\w+@\d+\.service$/.test(n);
    expect(h.sim.cluster.timeline.minActive(rails, from, h.clock.now())).toBeGreaterThanOrEqual(2);

    // a rerun: unchanged, and no "missing" service for rails-7bdae1c
    const third = await h.run();
    expect(third.result.services.map((s) => [s.service, s.action])).toEqual([['rails', 'unchanged']]);
  });

  it('refuses a versioned entry without a usable version, and destroyPrevious without strategy versioned', async () => {
    h = await applyHarness();
    h.source.files.set('rails@.service', cocoUnit('rails'));
    h.setServices([{ name: 'rails@.service', count: 1, extra: '    strategy: versioned' }]);
    await expect(h.run()).rejects.toThrow(/strategy versioned needs a version/);
    h.setServices([{ name: 'rails@.service', version: '1', count: 1, extra: '    destroyPrevious: false' }]);
    await expect(h.run()).rejects.toThrow(/apply to strategy: versioned only/);
    expect(railsUnits(h)).toEqual([]);
  });
});
