// The beanstalkd target against a REAL beanstalkd started on a loopback port: jobs reserved with a
// beanstalkd client, body, tube, priority and TTR asserted — SymfoniNext's NOTIFY_FLAGS as its
// README writes it, the URL form with fs's own fields, and the JSON document without a template.
import {
  createNotifier,
  type NotifyEvent,
  parseNotifyFlags,
  parseTarget,
  type RolloutNotice,
  webhookDocument,
} from '@fleet-service/notify';
import jackdModule, { type JackdClient } from 'jackd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BEANSTALKD_INSTALL_HINT,
  type Beanstalkd,
  beanstalkdRequired,
  findBeanstalkd,
  startBeanstalkd,
} from './helpers/beanstalkd-server.js';
import { refusedPort } from './helpers/capture-server.js';

// jackd 2's default import is the class at run time (module.exports = JackdClient)
const Jackd = jackdModule as unknown as typeof JackdClient;
const binary = findBeanstalkd();
const skip = !binary && !beanstalkdRequired();
if (skip) console.warn(`skipping the beanstalkd notify tests: ${BEANSTALKD_INSTALL_HINT}`);

const notice: RolloutNotice = {
  event: 'succeeded',
  action: 'create',
  service: 'blog',
  outcome: 'succeeded',
  version: 'v1.12',
  image: 'me/blog:v1.12',
  hash: 'a'.repeat(40),
  replaced: 3,
  added: 0,
  removed: 0,
  durationMs: 83_400,
  user: 'alice',
  host: 'ci-1',
};

describe.skipIf(skip)('beanstalkd target (real beanstalkd)', () => {
  let server: Beanstalkd;
  let client: JackdClient;

  beforeAll(async () => {
    if (!binary)
      throw new Error(
        `beanstalkd is required here (CI / FS_REQUIRE_BEANSTALKD=1): ${BEANSTALKD_INSTALL_HINT}`,
      );
    server = await startBeanstalkd(binary);
    client = new Jackd();
    await client.connect({ host: server.host, port: server.port });
  });
  afterAll(async () => {
    client?.socket.destroy();
    await server?.close();
  });

  /** Reserves the next job of `tube`: its body and its stats (pri, ttr, delay, tube). */
  async function take(tube: string) {
    await client.watch(tube);
    const job = await client.reserveWithTimeout(5);
    const stats = Object.fromEntries(
      (await client.statsJob(job.id))
        .split('\n')
        .map((l) => /^([\w-]+): (.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    await client.delete(job.id);
    await client.ignore(tube);
    return { body: job.payload.toString(), stats };
  }

  it("SymfoniNext's NOTIFY_FLAGS, exactly as its README writes it: body, tube, priority 10, TTR 60 s", async () => {
    const flags = JSON.stringify({
      addr: `127.0.0.1:${server.port}`,
      tube: 'jobs',
      template: 'IkkganVzdCBkZXBsb3llZCB7ey5BcnRpZmFjdH19IGZvciB7ey5TZXJ2aWNlTmFtZX19',
    });
    const events: NotifyEvent[] = [];
    const reports = await createNotifier([parseNotifyFlags(flags)], {
      onEvent: (e) => events.push(e),
    }).notify(notice);
    expect(reports.map((r) => r.ok)).toEqual([true]);
    const job = await take('jobs');
    expect(job.body).toBe('"I just deployed me/blog:v1.12 for blog');
    expect(job.stats).toMatchObject({ tube: 'jobs', pri: '10', ttr: '60', delay: '0', state: 'reserved' });
    expect(events).toMatchObject([
      { type: 'notify-sent', target: `beanstalkd:127.0.0.1:${server.port}/jobs` },
    ]);
  });

  it("the URL form with fs's fields, priority and TTR", async () => {
    const template = Buffer.from(
      '{{.ServiceName}} {{.Outcome}} {{.Version}} in {{.Duration}} by {{.User}}',
    ).toString('base64');
    const target = parseTarget(
      `beanstalkd:127.0.0.1:${server.port}/deploys?priority=5&ttr=120&template=${template}`,
    );
    await createNotifier([target]).notify({ ...notice, event: 'rolled-back', outcome: 'rolled-back' });
    const job = await take('deploys');
    expect(job.body).toBe('blog rolled-back v1.12 in 1m23s by alice');
    expect(job.stats).toMatchObject({ tube: 'deploys', pri: '5', ttr: '120' });
  });

  it('without a template the job body is the webhook JSON document', async () => {
    await createNotifier([parseTarget(`beanstalkd:127.0.0.1:${server.port}/json`)]).notify(notice);
    const job = await take('json');
    expect(JSON.parse(job.body)).toEqual(JSON.parse(JSON.stringify(webhookDocument(notice))));
    expect(job.stats).toMatchObject({ pri: '10', ttr: '60' });
  });

  it('a beanstalkd that is not there is reported, after its retries; the notice is untouched', async () => {
    const port = await refusedPort();
    const frozen = Object.freeze({ ...notice });
    const events: NotifyEvent[] = [];
    const target = parseTarget(`beanstalkd:127.0.0.1:${port}/jobs`);
    const reports = await createNotifier([target], {
      retries: 1,
      retryDelayMs: 1,
      onEvent: (e) => events.push(e),
    }).notify(frozen);
    expect(reports).toMatchObject([{ ok: false, attempts: 2, error: { code: 'ERR_NOTIFY_BEANSTALKD' } }]);
    expect(events[0]).toMatchObject({
      type: 'notify-failed',
      error: { message: expect.stringMatching(/ECONNREFUSED/) },
    });
    expect(frozen).toEqual(notice);
  });
});
