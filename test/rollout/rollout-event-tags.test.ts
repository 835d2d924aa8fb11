/** Seam 2: every event names its service and rollout, so several rollouts can share one stream. */
import { type RolloutEvent, rollout } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, type Harness, harness, V1, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('event tags', () => {
  it('two concurrent rollouts of two services share one listener; every event is attributable', async () => {
    h = await harness();
    const stream: RolloutEvent[] = [];
    const onEvent = (e: RolloutEvent) => stream.push(e);
    const deps = { api: h.api, clock: h.clock, onEvent, host: 'ci-1', pid: 7 };
    const [web, api] = await Promise.all([
      rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, deps),
      rollout({ service: 'api', unitFile: V2, count: 3, ...FAST }, { ...deps, rolloutId: 'api-run-1' }),
    ]);
    expect([web.outcome, api.outcome]).toEqual(['succeeded', 'succeeded']);

    const services = new Set(stream.map((e) => e.service));
    expect(services).toEqual(new Set(['web', 'api']));
    const idsOf = (service: string) =>
      new Set(stream.filter((e) => e.service === service).map((e) => e.rolloutId));
    expect(idsOf('api')).toEqual(new Set(['api-run-1']));
    const [webId] = [...idsOf('web')];
    expect(idsOf('web').size).toBe(1);
    expect(webId).toMatch(/^[0-9a-f-]{36}$/);
    // the stream interleaves both, and each event's own fields agree with its tags
    for (const e of stream) {
      expect(Object.isFrozen(e)).toBe(true);
      if (e.type === 'plan') expect(e.plan.service).toBe(e.service);
      if (e.type === 'step-started') expect(e.step.unit.startsWith(`${e.service}@`)).toBe(true);
      if (e.type === 'done') expect(e.result.service).toBe(e.service);
    }
    for (const service of ['web', 'api']) {
      const own = stream.filter((e) => e.service === service).map((e) => e.type);
      expect(own[0]).toBe('lock-acquired');
      expect(own).toContain('plan');
      expect(own.at(-1)).toBe('done');
    }
    const firstWeb = stream.findIndex((e) => e.service === 'web');
    const lastApi = stream.findLastIndex((e) => e.service === 'api');
    expect(firstWeb).toBeLessThan(lastApi); // they did run at the same time
  });

  it('the lock shows the host and pid the caller gave, never the machine the library runs on', async () => {
    h = await harness();
    await rollout(
      { service: 'web', unitFile: V1, count: 1, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent },
    );
    await rollout(
      { service: 'web', unitFile: V2, count: 1, ...FAST },
      { api: h.api, clock: h.clock, onEvent: h.onEvent, host: 'ci-1', pid: 42 },
    );
    const locks = h.events.flatMap((e) => (e.type === 'lock-acquired' ? [e.lock] : []));
    expect(locks.map((l) => [l.host, l.pid])).toEqual([
      ['unknown', 0],
      ['ci-1', 42],
    ]);
  });
});
