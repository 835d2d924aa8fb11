// fs serve on loopback TCP with the simulator: every route's success and error statuses.

import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { type ServeHarness, serveHarness, settled } from './serve-harness.js';

let h: ServeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const hashOf = (text: string) => unitHash(parseUnitFile(text));

describe('fs serve: /v1 routes', () => {
  it('POST /v1/services/{name}/rollouts → 202 + Location; the rollout runs; GET shows state, events, result', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const a = await h.call('POST', '/v1/services/web/rollouts', { body: { version: '1.1' } });
    expect(a.status).toBe(202);
    expect(a.headers.location).toBe(`/v1/rollouts/${a.json.id}`);
    expect(a.json).toMatchObject({
      service: 'web',
      state: expect.stringMatching(/queued|running/),
      version: '1.1',
    });
    const done = await settled(h, a.json.id);
    expect(done).toMatchObject({ state: 'finished', outcome: 'succeeded' });
    const got = await h.call('GET', `/v1/rollouts/${a.json.id}`);
    expect(got.json.events.map((e: any) => e.event.type)).toContain('done');
    expect(got.json.result.outcome).toBe('succeeded');
    const { imageUnit } = await import('./serve-harness.js');
    expect(runningWith(h.sim, 'web', hashOf(imageUnit('me/web', '1.1')))).toEqual([
      'web@1.service',
      'web@2.service',
    ]);
  });

  it('?wait=true answers with the outcome: 200 on success, the class status on failure', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const ok = await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: { image: 'me/web:2.0' } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ state: 'finished', outcome: 'succeeded', version: '2.0' });
    const again = await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: { version: '2.0' } });
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('unchanged');
  });

  it('refuses bad input before anything is stored: 400, 404, 403, 413, 422', async () => {
    h = await serveHarness([
      { name: 'web', version: '1.0' },
      { name: 'locked', allowUpdates: false },
    ]);
    const malformed = await h.call('POST', '/v1/services/web/rollouts', {
      raw: '{"version": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toMatch(/JSON/i);
    expect((await h.call('POST', '/v1/services/web/rollouts', { body: { version: 3 } })).status).toBe(400);
    expect((await h.call('POST', '/v1/services/web/rollouts', { body: { nope: 1 } })).status).toBe(400);
    expect((await h.call('POST', '/v1/services/-bad-/rollouts', { body: {} })).status).toBe(400);
    expect((await h.call('POST', '/v1/services/nosuch/rollouts', { body: {} })).status).toBe(404);
    expect((await h.call('POST', '/v1/services/locked/rollouts', { body: {} })).status).toBe(403);
    expect(
      (await h.call('POST', '/v1/services/web/rollouts', { body: { image: 'other/app:1' } })).status,
    ).toBe(422);
    expect(
      (await h.call('POST', '/v1/services/web/rollouts', { body: { version: 'bad tag!' } })).status,
    ).toBe(422);
    const big = await h.call('POST', '/v1/services/web/rollouts', {
      raw: JSON.stringify({ version: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect((await h.call('GET', '/v1/rollouts/nope')).status).toBe(404);
    expect((await h.call('GET', '/v1/services/nosuch')).status).toBe(404);
    expect((await h.call('GET', '/debug/pprof')).status).toBe(404);
    expect(h.server.store.recent(10)).toEqual([]);
    expect(h.sim.cluster.units()).toEqual([]);
  });

  it('GET /v1/services and /v1/services/{name}; rollback; healthz; metrics; openapi', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: {} });
    await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: { version: '1.1' } });
    const list = await h.call('GET', '/v1/services');
    expect(list.status).toBe(200);
    expect(list.json.services[0]).toMatchObject({
      service: 'web',
      configured: { image: 'me/web', version: '1.0', allowUpdates: true },
      cluster: { service: 'web', instances: 2 },
      lastRollout: { outcome: 'succeeded' },
    });
    const one = await h.call('GET', '/v1/services/web');
    expect(one.json.cluster.units.length).toBeGreaterThanOrEqual(2);
    const back = await h.call('POST', '/v1/services/web/rollback?wait=true');
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ kind: 'rollback', outcome: 'succeeded' });
    const { imageUnit } = await import('./serve-harness.js');
    expect(runningWith(h.sim, 'web', hashOf(imageUnit('me/web', '1.0')))).toHaveLength(2);
    expect((await h.call('GET', '/healthz', { auth: null })).json.status).toBe('ok');
    const metrics = await h.call('GET', '/metrics');
    expect(metrics.text).toMatch(/fs_serve_rollouts_total\{outcome="succeeded"\} 3/);
    expect(metrics.text).toMatch(/fs_serve_rollout_duration_seconds_count 3/);
    expect(metrics.text).toMatch(/fs_serve_rollouts_in_flight 0/);
    expect(metrics.text).toMatch(/fs_serve_queue_length 0/);
    const doc = await h.call('GET', '/openapi.json');
    expect(Object.keys(doc.json.paths)).toEqual(
      expect.arrayContaining([
        '/v1/services/{name}/rollouts',
        '/v1/rollouts/{id}',
        '/v1/rollouts/{id}/events',
        '/v1/services',
        '/service/{name}',
        '/api/dockerhub/webhook',
        '/api/registry/webhook',
      ]),
    );
    expect(doc.json.paths['/v1/services/{name}/rollouts'].post.requestBody).toBeDefined();
  });
});

describe('fs serve: notifications and the re-pull timer', () => {
  it('tells the notify targets the real outcome (per server and per service)', async () => {
    const { parseTarget } = await import('@fleet-service/notify');
    const { jsonReceiver } = await import('./json-receiver.js');
    const hook = await jsonReceiver();
    const received = hook.bodies;
    try {
      h = await serveHarness([{ name: 'web', version: '1.0' }], {
        notify: [parseTarget(`webhook:${hook.url}/hook`)],
      });
      const a = await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: { version: '1.1' } });
      expect(a.status).toBe(200);
      while (received.length === 0) await new Promise((r) => setImmediate(r));
      expect(received[0]).toMatchObject({ event: 'succeeded', service: 'web', rolloutId: a.json.id });
    } finally {
      hook.close();
    }
  });

  it('--repull-period: services on a moving tag get a forced rolling restart each period (injected clock)', async () => {
    h = await serveHarness([{ name: 'web' }, { name: 'pinned', version: '1.0' }], {
      repullPeriodMs: 86_400_000,
    });
    const start = h.clock.now();
    await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: {} });
    await h.call('POST', '/v1/services/pinned/rollouts?wait=true', { body: {} });
    // the clock jumps ahead whenever everything waits: the 24 h timer fires without real waiting
    let repull: any;
    while (!repull) {
      repull = h.server.store.recent(10).find((e) => e.request.source === 'repull');
      await new Promise((r) => setImmediate(r));
    }
    const done = await settled(h, repull.id);
    expect(done).toMatchObject({ service: 'web', force: true, outcome: 'succeeded', version: 'latest' });
    expect(done.result.replaced).toHaveLength(2);
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(86_400_000);
    expect(
      h.server.store.recent(10).some((e) => e.request.source === 'repull' && e.service === 'pinned'),
    ).toBe(false);
  });
});
