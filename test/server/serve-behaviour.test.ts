// The queue and the store: superseding, two servers on one cluster, restart mid-rollout, event
// streams (SSE, NDJSON, replay, Last-Event-ID), a unix socket listener and --no-auth's rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { createServer, NoCredentialsError } from '@fleet-service/server';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { watchEvents } from './event-watch.js';
import { call, imageUnit, type ServeHarness, serveHarness, settled } from './serve-harness.js';

let h: ServeHarness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fs-serve-state-'));
  dirs.push(d);
  return d;
};
const hashOf = (image: string, tag: string) => unitHash(parseUnitFile(imageUnit(image, tag)));

describe('fs serve: queue, store, streams', () => {
  it('a newer request supersedes a queued one (latest wins); the running one finishes first', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const x = h;
    const release = x.clock.hold(); // time stands still: the first rollout cannot finish meanwhile
    const a = await x.call('POST', '/v1/services/web/rollouts', { body: { version: '1.1' } });
    const b = await x.call('POST', '/v1/services/web/rollouts', { body: { version: '1.2' } });
    const cWait = x.call('POST', '/v1/services/web/rollouts?wait=true', { body: { version: '1.3' } });
    while (x.server.store.lastOf('web', 1)[0]?.request.version !== '1.3')
      await new Promise((r) => setImmediate(r));
    const c = x.server.store.lastOf('web', 1)[0]!;
    expect((await x.call('GET', `/v1/rollouts/${b.json.id}`)).json).toMatchObject({
      state: 'superseded',
      supersededBy: c.id,
    });
    const d = await x.call('POST', '/v1/services/web/rollouts', { body: { version: '1.4' } });
    const cAnswer = await cWait; // answered as superseded, at once
    expect(cAnswer.status).toBe(409);
    expect(cAnswer.json).toMatchObject({ id: c.id, state: 'superseded', supersededBy: d.json.id });
    expect((await x.call('GET', `/v1/rollouts/${a.json.id}`)).json.state).toBe('running');
    release();
    expect((await settled(x, a.json.id)).outcome).toBe('succeeded');
    expect((await settled(x, d.json.id)).outcome).toBe('succeeded');
    expect(runningWith(x.sim, 'web', hashOf('me/web', '1.4'))).toHaveLength(2);
    const metrics = await x.call('GET', '/metrics');
    expect(metrics.text).toMatch(/fs_serve_rollouts_total\{outcome="superseded"\} 2/);
  });

  it('two servers on one cluster: the engine lock decides, the loser waits and retries, both succeed', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const other = await h.start();
    expect(other.server.owner).not.toBe(h.server.owner);
    const release = h.clock.hold();
    const one = await h.call('POST', '/v1/services/web/rollouts', { body: { version: '2.0' } });
    const two = await call(other.base, 'POST', '/v1/services/web/rollouts', { body: { version: '3.0' } });
    release();
    const [r1, r2] = await Promise.all([settled(h, one.json.id), settled(h, two.json.id, other.base)]);
    expect([r1.outcome, r2.outcome]).toEqual(['succeeded', 'succeeded']);
    const waits = [
      ...(await h.call('GET', `/v1/rollouts/${one.json.id}`)).json.events,
      ...(await call(other.base, 'GET', `/v1/rollouts/${two.json.id}`)).json.events,
    ].filter((e: any) => e.event.type === 'lock-wait');
    expect(waits.length).toBeGreaterThan(0);
    // whichever ran last is what runs
    const lastDone = r1.finishedAt > r2.finishedAt ? '2.0' : '3.0';
    expect(runningWith(h.sim, 'web', hashOf('me/web', lastDone))).toHaveLength(2);
  });

  it('restart mid-rollout: the next server resumes it under the same rollout id; its events and result survive', async () => {
    const stateDir = tempDir();
    h = await serveHarness([{ name: 'web', version: '1.0', count: 3 }], { stateDir });
    await h.call('POST', '/v1/services/web/rollouts?wait=true', { body: {} });
    const a = await h.call('POST', '/v1/services/web/rollouts', { body: { version: '2.0' } });
    // stop once the first instance was replaced
    while (!h.server.store.events(a.json.id).some((e) => e.event.type === 'step-finished'))
      await new Promise((r) => setImmediate(r));
    await h.server.close();
    expect(h.server.store.path).toContain(stateDir);
    const next = await h.start({ stateDir });
    const done = await settled(h, a.json.id, next.base);
    expect(done).toMatchObject({ id: a.json.id, state: 'finished', outcome: 'succeeded' });
    expect(runningWith(h.sim, 'web', hashOf('me/web', '2.0'))).toHaveLength(3);
    const events = (await call(next.base, 'GET', `/v1/rollouts/${a.json.id}`)).json.events;
    const seqs = events.map((e: any) => e.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1)); // one numbering across both runs
    expect(events.filter((e: any) => e.event.type === 'lock-acquired').length).toBe(2);
  });

  it('SSE and NDJSON: live watchers and a late watcher see the same events once each; Last-Event-ID resumes', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const release = h.clock.hold();
    const a = await h.call('POST', '/v1/services/web/rollouts', { body: { version: '1.1' } });
    const sse = watchEvents(h.base, a.json.id);
    const nd = watchEvents(h.base, a.json.id, { ndjson: true });
    await new Promise((r) => setTimeout(r, 20));
    release();
    const [s, n] = await Promise.all([sse, nd]);
    const stored = h.server.store.events(a.json.id).map((e) => e.seq);
    expect(s.seqs).toEqual(stored);
    expect(n.seqs).toEqual(stored);
    expect(s.end).toMatchObject({ state: 'finished', outcome: 'succeeded', status: 200 });
    expect(n.end).toMatchObject({ state: 'finished', outcome: 'succeeded' });
    expect(s.types).toContain('done');
    const late = await watchEvents(h.base, a.json.id);
    expect(late.seqs).toEqual(stored);
    const resumed = await watchEvents(h.base, a.json.id, { lastEventId: 3 });
    expect(resumed.seqs).toEqual(stored.slice(3));
  });

  it('listens on a unix socket; --no-auth is allowed there and on loopback, refused elsewhere', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const socketPath = join(tempDir(), 'fs.sock');
    const unix = await h.start({ listen: `unix:${socketPath}`, noAuth: true, credentials: undefined });
    const a = await call(unix.base, 'POST', '/v1/services/web/rollouts?wait=true', {
      body: { version: '1.1' },
      socketPath,
      auth: null,
    });
    expect(a.status).toBe(200);
    const stream = await watchEvents('', a.json.id, { socketPath });
    expect(stream.end.outcome).toBe('succeeded');
    const base = { api: h.server.deployer as never, config: h.server.deployer.config };
    expect(() => createServer({ ...base, listen: '0.0.0.0:0', noAuth: true })).toThrow(NoCredentialsError);
    expect(() => createServer({ ...base, listen: '127.0.0.1:0' })).toThrow(/no credential/);
  });
});
