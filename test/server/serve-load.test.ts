// Load: concurrent deploy requests across services and concurrent SSE watchers. Every request is
// answered, each service ends on its last accepted request, and every stream holds each stored
// event exactly once, in order. Sizes: FS_SERVE_LOAD_REQUESTS (200), FS_SERVE_LOAD_SERVICES (20),
// FS_SERVE_LOAD_WATCHERS (50). Capacity: the simulator's timeline never shows a service below its
// guarantee while the API drives the rollouts.
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { watchEvents } from './event-watch.js';
import { imageUnit, type ServeHarness, serveHarness, settled } from './serve-harness.js';

const REQUESTS = Number(process.env.FS_SERVE_LOAD_REQUESTS ?? 200);
const SERVICES = Number(process.env.FS_SERVE_LOAD_SERVICES ?? 20);
const WATCHERS = Number(process.env.FS_SERVE_LOAD_WATCHERS ?? 50);

let h: ServeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('fs serve under load', () => {
  it(`${REQUESTS} concurrent deploys across ${SERVICES} services, ${WATCHERS} SSE watchers`, {
    timeout: 120_000,
  }, async () => {
    const names = Array.from({ length: SERVICES }, (_, i) => `svc${i}`);
    h = await serveHarness(
      names.map((name) => ({ name, version: '1.0', count: 2 })),
      { machines: 4, parallel: SERVICES },
    );
    const x = h;
    // every service running first, so the capacity guarantee (count − maxUnavailable = 1) applies throughout
    await Promise.all(names.map((n) => x.call('POST', `/v1/services/${n}/rollouts?wait=true`, { body: {} })));
    const from = x.clock.now();
    const release = x.clock.hold();
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        x.call('POST', `/v1/services/${names[i % SERVICES]}/rollouts`, {
          body: { version: `1.${Math.floor(i / SERVICES) + 1}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const ids = answers.map((a) => a.json.id as string);
    expect(new Set(ids).size).toBe(REQUESTS);
    const watched = ids.slice(0, WATCHERS).map((id) => ({ id, stream: watchEvents(x.base, id) }));
    await new Promise((r) => setTimeout(r, 20));
    release();
    const streams = await Promise.all(watched.map((w) => w.stream));
    for (const [k, s] of streams.entries()) {
      const stored = x.server.store.events(watched[k]!.id).map((e) => e.seq);
      expect(s.seqs).toEqual(stored); // none lost, none twice, in order
      expect(stored).toEqual(stored.map((_, i) => i + 1));
      expect(['finished', 'superseded']).toContain(s.end.state);
    }
    for (const name of names) {
      const last = x.server.store.lastOf(name, 1)[0]!;
      expect((await settled(x, last.id)).outcome).toBe('succeeded');
      const hash = unitHash(parseUnitFile(imageUnit(`me/${name}`, last.request.version!)));
      expect(runningWith(x.sim, name, hash)).toEqual([`${name}@1.service`, `${name}@2.service`]);
    }
    for (const name of names) {
      const instance = new RegExp(`^${name}@\\d+\\.service$`);
      expect(x.sim.cluster.timeline.minActive((n) => instance.test(n), from)).toBeGreaterThanOrEqual(1);
    }
    const all = ids.map((id) => x.server.store.get(id)!);
    expect(all.every((e) => e.state === 'finished' || e.state === 'superseded')).toBe(true);
  });
});
