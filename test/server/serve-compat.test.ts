// The routes existing deploy scripts call: SymfoniNext's curl line replayed verbatim over HTTPS,
// Docker Hub's and the registry's webhook payloads → rollouts → callback; every auth failure path.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { jsonReceiver } from './json-receiver.js';
import { imageUnit, type ServeHarness, serveHarness, settled, TOKEN } from './serve-harness.js';
import { hasOpenssl, makeCert } from './tls-cert.js';

const run = promisify(execFile);
let h: ServeHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const hashOf = (image: string, tag: string) => unitHash(parseUnitFile(imageUnit(image, tag)));

/** SymfoniNext's README, "curl example", verbatim. */
const SYMFONI_CURL = `curl -v --header "Authorization: SPECIFIY_SOME_TOKEN_HERE" -X PUT -d '{"image": "me/blog:v1.12"}' https://your.deployment.url/service/blog`;

/** Docker Hub's documented webhook payload (docs.docker.com, "Webhooks"), callback_url pointed at a local server. */
const dockerHubPayload = (callback: string, tag: string) => ({
  callback_url: callback,
  push_data: {
    images: ['27d47432a69bca5f2700e4dff7de0388ed65f9d3fb1ec645e2bc24c223dc1cc3'],
    pushed_at: 1.417566161e9,
    pusher: 'trustedbuilder',
    tag,
  },
  repository: {
    comment_count: 0,
    date_created: 1.417494799e9,
    description: '',
    dockerfile: '#\n# BUILD\u0009\u0009docker build -t svendowideit/apt-cacher .\n',
    full_description: 'Docker Hub based automated build from a GitHub repo',
    is_official: false,
    is_private: true,
    is_trusted: true,
    name: 'testhook',
    namespace: 'svendowideit',
    owner: 'svendowideit',
    repo_name: 'svendowideit/testhook',
    repo_url: 'https://registry.hub.docker.com/u/svendowideit/testhook/',
    star_count: 0,
    status: 'Active',
  },
});

/** A Docker Registry v2 notification envelope (distribution's docs, "Notifications"). */
const registryEnvelope = (repository: string, tag: string) => ({
  events: [
    {
      id: 'asdf-asdf-asdf-asdf-0',
      timestamp: '2006-01-02T15:04:05Z',
      action: 'push',
      target: {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        size: 1,
        digest: 'sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf',
        length: 1,
        repository,
        url: `https://registry.example.com:5000/v2/${repository}/manifests/sha256:fea8`,
        tag,
      },
      request: {
        id: 'asdfasdf',
        addr: 'client.local',
        host: 'registry.example.com:5000',
        method: 'PUT',
        useragent: 'docker/1.13',
      },
      actor: { name: 'test-actor' },
      source: { addr: 'hostname.local:port' },
    },
  ],
});

describe('fs serve: compatible routes', () => {
  it.skipIf(!hasOpenssl())(
    "SymfoniNext's README curl line, verbatim, over HTTPS with a generated certificate",
    async () => {
      h = await serveHarness([{ name: 'blog', version: 'v1.11', image: 'me/blog' }]);
      const { cert, key, certFile } = makeCert(h.dir, 'your.deployment.url');
      const tls = await h.start({ tls: { cert, key }, stateDir: undefined });
      const port = new URL(tls.base).port;
      expect(tls.base).toMatch(/^https:/);
      // the line as written; curl is only told where your.deployment.url is and to trust the test CA
      const { stdout } = await run('sh', [
        '-c',
        SYMFONI_CURL.replace(
          /^curl /,
          `curl -s --cacert ${certFile} --connect-to your.deployment.url:443:127.0.0.1:${port} `,
        ),
      ]);
      const answer = JSON.parse(stdout);
      expect(answer).toMatchObject({ service: 'blog', image: 'me/blog:v1.12', state: expect.any(String) });
      expect((await tls.server.deployer.waitFor(answer.id)).outcome).toBe('succeeded');
      expect(runningWith(h.sim, 'blog', hashOf('me/blog', 'v1.12'))).toEqual([
        'blog@1.service',
        'blog@2.service',
      ]);
      // and its failure statuses: no header 401, wrong token 403, malformed JSON 400, bad name 400
      const curl = async (args: string[]) =>
        (
          await run('curl', [
            '-s',
            '-o',
            '/dev/null',
            '-w',
            '%{http_code}',
            '--cacert',
            certFile,
            '--connect-to',
            `your.deployment.url:443:127.0.0.1:${port}`,
            ...args,
          ])
        ).stdout;
      const at = (name: string) => `https://your.deployment.url/service/${name}`;
      const auth = ['-H', `Authorization: ${TOKEN}`];
      const cases: [string[], string, string][] = [
        [[], '{"image": "me/blog:v1.13"}', 'blog'], // no Authorization
        [['-H', 'Authorization: nope'], '{"image": "me/blog:v1.13"}', 'blog'], // a wrong one
        [auth, '{"image": ', 'blog'], // malformed JSON
        [auth, '{"image": "me/blog:v1"}', 'bl_og'], // a name SymfoniNext refuses
        [auth, '{"image": "me/x:1"}', 'nosuch'], // not in the config
      ];
      const statuses = [];
      for (const [headers, body, name] of cases)
        statuses.push(await curl([...headers, '-X', 'PUT', '-d', body, at(name)]));
      expect(statuses).toEqual(['401', '403', '400', '400', '404']);
    },
  );

  it('PUT /service/{name} refuses a service without allowUpdates (403)', async () => {
    h = await serveHarness([{ name: 'blog', image: 'me/blog', allowUpdates: false }]);
    const a = await h.call('PUT', '/service/blog', { raw: '{"image": "me/blog:v2"}', auth: TOKEN });
    expect(a.status).toBe(403);
    expect(a.json.error).toBe('updates-not-allowed');
  });

  it('Docker Hub webhook: the callback survives a restart between the 202 and the end (sent once, by the next server)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'fs-serve-cb-'));
    const hub = await jsonReceiver();
    try {
      h = await serveHarness([{ name: 'hook', image: 'svendowideit/testhook', count: 3 }], { stateDir });
      await h.call('POST', '/v1/services/hook/rollouts?wait=true', { body: {} });
      const a = await h.call('POST', `/api/dockerhub/webhook?token=${TOKEN}`, {
        body: dockerHubPayload(`${hub.url}/u/svendowideit/testhook/hook/cb/`, 'latest'),
        auth: null,
      });
      expect(a.status).toBe(202);
      const id = a.json.rollouts[0].id;
      expect(h.server.store.pendingCallbacks().map((c) => c.rollouts)).toEqual([[id]]);
      // stop once the first instance was replaced: the rollout is not over, no callback yet
      while (!h.server.store.events(id).some((e) => e.event.type === 'step-finished'))
        await new Promise((r) => setImmediate(r));
      await h.server.close();
      expect(hub.bodies).toEqual([]);
      const next = await h.start({ stateDir });
      expect(await settled(h, id, next.base)).toMatchObject({ state: 'finished', outcome: 'succeeded' });
      while (hub.bodies.length === 0) await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 50));
      expect(hub.bodies).toEqual([
        { state: 'success', description: 'hook: succeeded', context: 'fs serve', target_url: '' },
      ]);
      while (next.server.store.pendingCallbacks().length > 0) await new Promise((r) => setImmediate(r));
    } finally {
      hub.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('Docker Hub webhook: a push of the tracked moving tag is a forced rolling restart; the outcome is POSTed to callback_url', async () => {
    h = await serveHarness([
      { name: 'hook', image: 'svendowideit/testhook', count: 3 },
      { name: 'pinned', image: 'svendowideit/testhook', version: '1.0' },
      { name: 'other', image: 'me/other' },
    ]);
    await h.call('POST', '/v1/services/hook/rollouts?wait=true', { body: {} });
    await h.call('POST', '/v1/services/pinned/rollouts?wait=true', { body: {} });
    const hub = await jsonReceiver();
    const callbacks = hub.bodies;
    const callback = `${hub.url}/u/svendowideit/testhook/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/`;
    try {
      const from = h.clock.now();
      const a = await h.call('POST', `/api/dockerhub/webhook?token=${TOKEN}`, {
        body: dockerHubPayload(callback, 'latest'),
        auth: null,
      });
      expect(a.status).toBe(202);
      expect(a.json.rollouts.map((r: any) => r.service)).toEqual(['hook']);
      expect(a.json.skipped).toEqual([
        { service: 'pinned', reason: 'runs versions; latest is a moving tag' },
      ]);
      const done = await settled(h, a.json.rollouts[0].id);
      expect(done).toMatchObject({ outcome: 'succeeded', force: true, source: 'dockerhub' });
      expect(done.result.replaced).toHaveLength(3);
      // one batch at a time: never fewer than 2 of 3 running
      expect(
        h.sim.cluster.timeline.minActive((n) => /^hook@\d+\.service$/.test(n), from),
      ).toBeGreaterThanOrEqual(2);
      while (callbacks.length === 0) await new Promise((r) => setImmediate(r));
      expect(callbacks[0]).toMatchObject({
        state: 'success',
        context: 'fs serve',
        description: 'hook: succeeded',
      });
      // a version tag updates the service that runs versions, not the one that tracks latest
      const v = await h.call('POST', `/api/dockerhub/webhook?token=${TOKEN}`, {
        body: dockerHubPayload(callback, '1.1'),
        auth: null,
      });
      expect(v.json.rollouts.map((r: any) => r.service)).toEqual(['pinned']);
      await settled(h, v.json.rollouts[0].id);
      expect(runningWith(h.sim, 'pinned', hashOf('svendowideit/testhook', '1.1'))).toHaveLength(2);
    } finally {
      hub.close();
    }
  });

  it('Docker Registry v2 notification envelope → a version update of the services running that repository', async () => {
    h = await serveHarness([{ name: 'api', image: 'registry.example.com:5000/team/api', version: '1.0' }]);
    await h.call('POST', '/v1/services/api/rollouts?wait=true', { body: {} });
    const a = await h.call('POST', '/api/registry/webhook', {
      raw: JSON.stringify(registryEnvelope('team/api', '1.1')),
      headers: { 'content-type': 'application/vnd.docker.distribution.events.v1+json' },
    });
    expect(a.status).toBe(202);
    expect(a.json.rollouts).toHaveLength(1);
    const done = await settled(h, a.json.rollouts[0].id);
    expect(done).toMatchObject({ outcome: 'succeeded', version: '1.1', source: 'registry' });
    expect(runningWith(h.sim, 'api', hashOf('registry.example.com:5000/team/api', '1.1'))).toHaveLength(2);
  });

  it('every auth failure path: none 401, wrong bearer/bare/basic/query 403; basic and bare tokens accepted', async () => {
    h = await serveHarness([{ name: 'web', version: '1.0' }]);
    const none = await h.call('GET', '/v1/services', { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await h.call('GET', '/v1/services', { auth: 'Bearer wrong' })).status).toBe(403);
    expect((await h.call('GET', '/v1/services', { auth: 'wrong' })).status).toBe(403);
    expect((await h.call('GET', '/v1/services', { auth: `Bearer ${TOKEN}x` })).status).toBe(403);
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    expect((await h.call('GET', '/v1/services', { auth: basic('ci', 'wrong') })).status).toBe(403);
    expect((await h.call('GET', '/v1/services', { auth: basic('other', 'pa55') })).status).toBe(403);
    expect((await h.call('GET', '/v1/services?token=wrong', { auth: null })).status).toBe(403);
    expect((await h.call('POST', '/api/dockerhub/webhook', { auth: null, body: {} })).status).toBe(401);
    expect((await h.call('GET', '/v1/services', { auth: basic('ci', 'pa55') })).status).toBe(200);
    expect((await h.call('GET', '/v1/services', { auth: TOKEN })).status).toBe(200);
    expect((await h.call('GET', '/healthz', { auth: null })).status).toBe(200);
    expect((await h.call('GET', '/metrics', { auth: null })).status).toBe(401);
  });
});

describe('fs serve: secrets stay out of the logs', () => {
  it('request logs hold no token, header or password', async () => {
    const { Writable } = await import('node:stream');
    let logged = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        logged += chunk;
        done();
      },
    });
    h = await serveHarness([{ name: 'web', version: '1.0' }], { logger: { level: 'info', stream } });
    await h.call('GET', `/v1/services?token=${TOKEN}`, { auth: null });
    await h.call('GET', '/v1/services', { auth: `Basic ${Buffer.from('ci:pa55').toString('base64')}` });
    await h.call('POST', `/api/dockerhub/webhook?token=${TOKEN}`, { auth: null, body: { nope: true } });
    expect(logged).toContain('/v1/services?token=***');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('pa55');
    expect(logged).not.toContain(Buffer.from('ci:pa55').toString('base64'));
  });
});
