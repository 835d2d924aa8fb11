// `fs create|rollback|destroy … --notify …` end to end: the BUILT fs against the simulator, with
// real receivers on loopback. A success and a rolled-back failure as each receiver got them;
// receivers that hang, fail once or refuse change neither the outcome nor the exit code; a bad
// target is exit 2 before anything in the cluster changes; no secret is printed.
import { createHmac } from 'node:crypto';
import jackdModule, { type JackdClient } from 'jackd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, parseNdjson, runCli } from '../cli/helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from '../cli/helpers/sim.js';
import { beanstalkdRequired, findBeanstalkd, startBeanstalkd } from './helpers/beanstalkd-server.js';
import { type CaptureServer, refusedPort, startCaptureServer } from './helpers/capture-server.js';

const SECRET = 'e2e-hmac-secret';
const SLACK_PATH = '/services/T1/B2/e2eSlackToken';

describe.runIf(cliIsBuilt())('fs --notify (built CLI, simulator, real receivers)', () => {
  let t: TestSim;
  let env: Record<string, string>;
  let slack: CaptureServer;
  let hook: CaptureServer;
  let v1: string;
  let bad: string;

  beforeAll(async () => {
    t = await startTestSim('unix');
    slack = await startCaptureServer();
    hook = await startCaptureServer();
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, FS_WEBHOOK_SECRET: SECRET, USER: 'tester' });
    v1 = t.unitFile('web-v1.service', webUnit('v1'));
    bad = t.unitFile('web-bad.service', webUnit('bad'));
    t.sim.cluster.addFault({
      kind: 'unit-start-fails',
      match: { option: { name: 'Environment', value: 'VERSION=bad' } },
    });
  });
  afterAll(async () => {
    await Promise.all([t?.close(), slack?.close(), hook?.close()]);
  });

  const targets = () => [
    '--notify',
    `webhook:${hook.origin}/hooks/fs`,
    '--notify',
    `slack:${slack.origin}${SLACK_PATH}`,
  ];
  const bodies = (s: CaptureServer, from: number) => s.requests.slice(from).map((r) => JSON.parse(r.body));

  function expectNoSecret(run: { stdout: string; stderr: string }) {
    for (const secret of [SECRET, 'e2eSlackToken', SLACK_PATH]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  }

  it('a success: the webhook gets the signed result document, Slack a green message', async () => {
    const [h0, s0] = [hook.requests.length, slack.requests.length];
    const run = await runCli(['create', 'web', v1, '--count', '3', ...targets(), '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const printed = parseJsonDoc(run);

    const [doc] = bodies(hook, h0);
    expect(hook.requests.length - h0).toBe(1);
    expect(doc).toMatchObject({
      type: 'fs.rollout',
      ok: true,
      exitCode: 0,
      event: 'succeeded',
      action: 'create',
      service: 'web',
      outcome: 'succeeded',
      version: 'v1',
      added: 3,
      user: 'tester',
    });
    expect(doc.result).toEqual(printed.result); // the same result --json prints
    const raw = hook.requests[h0]?.body ?? '';
    expect(hook.requests[h0]?.headers['x-fs-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
    );

    const [message] = bodies(slack, s0);
    expect(slack.requests[s0]?.path).toBe(SLACK_PATH);
    expect(message.text).toMatch(/^fs create v1 of \*web\* succeeded \(tester@/);
    expect(message.attachments[0]).toMatchObject({ color: 'good', title: 'web: succeeded' });
    expect(message.attachments[0].fields).toEqual(
      expect.arrayContaining([
        { title: 'Version', value: 'v1', short: true },
        { title: 'Instances', value: '0 replaced, 3 added', short: true },
      ]),
    );
    expectNoSecret(run);
  });

  it('a rolled-back failure: exit 7 as without --notify; both receivers hear which unit failed and how', async () => {
    const [h0, s0] = [hook.requests.length, slack.requests.length];
    const run = await runCli(['create', 'web', bad, '--on-failure', 'rollback', ...targets()], { env });
    expect(run.code, run.stderr).toBe(7);
    const [doc] = bodies(hook, h0);
    expect(doc).toMatchObject({
      ok: false,
      exitCode: 7,
      event: 'rolled-back',
      outcome: 'rolled-back',
      version: 'bad',
      rolledBackTo: 'v1',
      error: { code: 'ERR_ROLLOUT_ROLLED_BACK' },
      result: { outcome: 'rolled-back' },
    });
    expect(doc.failure.unit).toMatch(/^web@\d\.service$/);
    expect(doc.failure.systemd).toMatchObject({ active: 'failed' });
    expect(doc.failure.machineID).toMatch(/^[0-9a-f]+$/);
    const [message] = bodies(slack, s0);
    expect(message.text).toMatch(/^fs create bad of \*web\* failed and was rolled back/);
    expect(message.attachments[0].color).toBe('warning');
    const titles = message.attachments[0].fields.map((f: { title: string }) => f.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Failed unit', 'systemd', 'Machine', 'Rolled back to', 'Error']),
    );
    expectNoSecret(run);
  });

  it('receivers that hang, fail once or refuse (an unchanged notice): same exit code and result; warnings name them redacted', async () => {
    const hanging = await startCaptureServer(['hang']);
    const flaky = await startCaptureServer([500, 200]);
    const refused = await refusedPort();
    try {
      const run = await runCli(
        [
          'create',
          'web',
          v1,
          '--json',
          '--notify-on',
          'unchanged',
          '--notify-timeout',
          '400ms',
          '--notify',
          `webhook:${hanging.origin}/hooks/hang?secret=${SECRET}`,
          '--notify',
          `slack:${flaky.origin}${SLACK_PATH}`,
          '--notify',
          `webhook:http://127.0.0.1:${refused}/hooks/refused`,
        ],
        { env },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(parseJsonDoc(run)).toMatchObject({ ok: true, exitCode: 0, result: { outcome: 'unchanged' } });
      expect(hanging.requests.length).toBeGreaterThanOrEqual(1);
      expect(flaky.requests).toHaveLength(2);
      expect(run.stderr).toMatch(
        new RegExp(`warning: notify webhook:${hanging.origin}/\\*\\*\\*: no delivery within 400 ms`),
      );
      expect(run.stderr).toMatch(
        /warning: notify webhook:http:\/\/127\.0\.0\.1:\d+\/\*\*\*: .*ECONNREFUSED.*3 attempts/,
      );
      expect(run.stderr).not.toMatch(/slack:/); // the flaky one got through on its retry
      expectNoSecret(run);
    } finally {
      await Promise.all([hanging.close(), flaky.close()]);
    }
  });

  it('--notify-on started with --output ndjson: a started notice, and the deliveries as event lines', async () => {
    const h0 = hook.requests.length;
    const v2 = t.unitFile('web-v2.service', webUnit('v2'));
    const run = await runCli(
      [
        'create',
        'web',
        v2,
        '--output',
        'ndjson',
        '--notify-on',
        'started,succeeded',
        '--notify',
        `webhook:${hook.origin}/x`,
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(bodies(hook, h0).map((d) => [d.event, d.version])).toEqual([
      ['started', 'v2'],
      ['succeeded', 'v2'],
    ]);
    const lines = parseNdjson(run);
    expect(lines.filter((l) => l.type === 'notify-sent').map((l) => l.event)).toEqual([
      'started',
      'succeeded',
    ]);
    expect(lines.at(-1)?.type).toBe('result');
  });

  it('rollback and destroy notify too', async () => {
    const h0 = hook.requests.length;
    const rollback = await runCli(['rollback', 'web', '--notify', `webhook:${hook.origin}/x`], { env });
    expect(rollback.code, rollback.stderr).toBe(0);
    const destroy = await runCli(['destroy', 'web', '--notify', `webhook:${hook.origin}/x`], { env });
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(bodies(hook, h0).map((d) => [d.action, d.event, d.outcome, d.version])).toEqual([
      ['rollback', 'succeeded', 'succeeded', 'v1'],
      ['destroy', 'succeeded', 'destroyed', ''],
    ]);
  });

  it.each([
    [['--notify', 'email:ops@example.com'], {}, /unknown scheme/],
    [['--notify', 'slack:not a url'], {}, /bad notify target slack:\*\*\*: not a URL/],
    [['--notify', 'beanstalkd:{"addr":"q:11300","tube":"jobs","template":"%%%"}'], {}, /not valid base64/],
    [[], { NOTIFY_FLAGS: '{"addr": "q:11300", "tube": ' }, /bad notify target NOTIFY_FLAGS: not JSON/],
    [
      [],
      { FS_NOTIFY: 'slack:http://127.0.0.1:1/x,webhook:ftp://files.example/secret-path' },
      /unsupported protocol ftp:/,
    ],
    [
      ['--notify', 'webhook:http://127.0.0.1:1/x', '--notify-on', 'done'],
      {},
      /--notify-on: unknown event "done"/,
    ],
  ])('a bad target %j is exit 2 before anything changes', async (flags, extraEnv, message) => {
    const from = t.sim.cluster.requests.length;
    const run = await runCli(['create', 'web', v1, ...flags], { env: { ...env, ...extraEnv } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(t.mutationsSince(from)).toEqual([]);
    expect(run.stderr).not.toContain('secret-path');
  });
});

const beanstalkd = findBeanstalkd();
describe.runIf(cliIsBuilt() && (beanstalkd !== undefined || beanstalkdRequired()))(
  "fs create with SymfoniNext's NOTIFY_FLAGS in the environment (real beanstalkd)",
  () => {
    it('puts the templated job into the tube, priority 10, TTR 60 s', async () => {
      if (!beanstalkd) throw new Error('beanstalkd is required here (CI / FS_REQUIRE_BEANSTALKD=1)');
      const [t, queue] = await Promise.all([startTestSim('unix'), startBeanstalkd(beanstalkd)]);
      const client = new (jackdModule as unknown as typeof JackdClient)();
      try {
        const unit = t.unitFile(
          'blog.service',
          webUnit('v1.12').replace('/usr/bin/web', '/usr/bin/docker run me/blog:v1.12'),
        );
        const flags = JSON.stringify({
          addr: `127.0.0.1:${queue.port}`,
          tube: 'jobs',
          template: 'IkkganVzdCBkZXBsb3llZCB7ey5BcnRpZmFjdH19IGZvciB7ey5TZXJ2aWNlTmFtZX19',
        });
        const run = await runCli(['create', 'blog', unit, '--count', '2'], {
          env: fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, NOTIFY_FLAGS: flags }),
        });
        expect(run.code, run.stderr).toBe(0);
        await client.connect({ host: queue.host, port: queue.port });
        await client.watch('jobs');
        const job = await client.reserveWithTimeout(5);
        expect(job.payload.toString()).toBe('"I just deployed me/blog:v1.12 for blog');
        const stats = await client.statsJob(job.id);
        expect(stats).toMatch(/^pri: 10$/m);
        expect(stats).toMatch(/^ttr: 60$/m);
      } finally {
        client.socket.destroy();
        await Promise.all([t.close(), queue.close()]);
      }
    });
  },
);
