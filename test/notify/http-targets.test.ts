// Slack and webhook targets against real HTTP servers on loopback: the payloads and the HMAC as
// received, a target that never answers (timed out on a manual clock), one that answers 500 then
// 200, one that refuses connections, a 4xx that is not retried — the other targets still get
// theirs, the notice (and the rollout result in it) is never changed, and no secret is shown.
import { createHmac } from 'node:crypto';
import { ManualClock } from '@fleet-service/fleet-sim';
import {
  createNotifier,
  type NotifyEvent,
  parseTarget,
  type RolloutNotice,
  verifySignature,
  webhookDocument,
} from '@fleet-service/notify';
import type { RolloutResult } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { type CaptureServer, refusedPort, startCaptureServer } from './helpers/capture-server.js';

const SLACK_PATH = '/services/T0001/B0002/slacktokenXYZ123';
const SECRET = 'hmac-s3cret-value';

const result: RolloutResult = Object.freeze({
  service: 'web',
  outcome: 'rolled-back',
  hash: 'b'.repeat(40),
  replaced: ['web@1.service'],
  rolledBack: ['web@1.service'],
  unchanged: [],
  added: [],
  removed: [],
  keptSpares: [],
  durationMs: 4200,
  completedSteps: [],
  error: {
    name: 'RolledBackError',
    code: 'ERR_ROLLOUT_ROLLED_BACK',
    message: 'web@1.service failed; rolled back',
  },
}) as RolloutResult;

const failed: RolloutNotice = Object.freeze({
  event: 'rolled-back',
  action: 'create',
  service: 'web',
  outcome: 'rolled-back',
  version: 'v2',
  hash: 'c'.repeat(40),
  rolledBackTo: 'v1',
  replaced: 1,
  added: 0,
  removed: 0,
  durationMs: 4200,
  user: 'alice',
  host: 'ci-1',
  rolloutId: 'r-1',
  exitCode: 7,
  failure: {
    unit: 'web@1.service',
    diagnosis: 'systemd says failed (exit-code)',
    systemd: { load: 'loaded', active: 'failed', sub: 'failed' },
    machineID: '0123456789abcdef0123456789abcdef',
    primaryIP: '10.0.0.1',
  },
  error: result.error,
  result,
}) as RolloutNotice;

const succeeded: RolloutNotice = {
  event: 'succeeded',
  action: 'create',
  service: 'web',
  outcome: 'succeeded',
  version: 'v2',
  image: 'registry:5000/web:v2',
  hash: 'c'.repeat(40),
  replaced: 3,
  added: 0,
  removed: 0,
  durationMs: 65_000,
  user: 'alice',
  host: 'ci-1',
};

const servers: CaptureServer[] = [];
async function server(script?: Array<number | 'hang'>) {
  const s = await startCaptureServer(script);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Every secret a test uses must be absent from what a user or log can see. */
function expectNoSecret(seen: unknown) {
  const text = JSON.stringify(seen);
  for (const secret of [SECRET, 'slacktokenXYZ123', SLACK_PATH, '/hook/p4th-t0ken'])
    expect(text).not.toContain(secret);
}

describe('slack and webhook targets (real HTTP servers)', () => {
  it('posts the Slack message and the signed JSON document', async () => {
    const slack = await server();
    const hook = await server();
    const events: NotifyEvent[] = [];
    const notifier = createNotifier(
      [
        parseTarget(`slack:${slack.origin}${SLACK_PATH}`),
        parseTarget(`webhook:${hook.origin}/hook/p4th-t0ken?secret=${SECRET}`),
      ],
      { onEvent: (e) => events.push(e) },
    );
    const reports = await notifier.notify(succeeded);
    expect(reports.map((r) => [r.ok, r.attempts])).toEqual([
      [true, 1],
      [true, 1],
    ]);

    const [s] = slack.requests;
    expect(s).toMatchObject({ method: 'POST', path: SLACK_PATH });
    expect(s?.headers['content-type']).toMatch(/application\/json/);
    const message = JSON.parse(s?.body ?? '');
    expect(message.text).toBe('fs create v2 of *web* succeeded (alice@ci-1)');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ color: 'good', title: 'web: succeeded' });
    expect(message.attachments[0].fields).toEqual(
      expect.arrayContaining([
        { title: 'Service', value: 'web', short: true },
        { title: 'Version', value: 'v2', short: true },
        { title: 'Image', value: 'registry:5000/web:v2', short: true },
        { title: 'Instances', value: '3 replaced', short: true },
        { title: 'Duration', value: '1m5s', short: true },
        { title: 'Run by', value: 'alice@ci-1', short: true },
      ]),
    );

    const [h] = hook.requests;
    expect(h?.path).toBe('/hook/p4th-t0ken'); // ?secret is taken out of the URL
    expect(JSON.parse(h?.body ?? '')).toEqual(JSON.parse(JSON.stringify(webhookDocument(succeeded))));
    expect(JSON.parse(h?.body ?? '')).toMatchObject({
      type: 'fs.rollout',
      ok: true,
      event: 'succeeded',
      service: 'web',
    });
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(h?.body ?? '')
      .digest('hex')}`;
    expect(h?.headers['x-fs-signature']).toBe(expected);
    expect(verifySignature(h?.body ?? '', SECRET, String(h?.headers['x-fs-signature']))).toBe(true);
    expect(verifySignature(`${h?.body} `, SECRET, String(h?.headers['x-fs-signature']))).toBe(false);
    expect(h?.headers['x-fs-event']).toBe('succeeded');
    expect(events.map((e) => [e.type, e.target]).sort()).toEqual([
      ['notify-sent', `slack:${slack.origin}/***`],
      ['notify-sent', `webhook:${hook.origin}/***`],
    ]);
    expectNoSecret(events);
  });

  it('a failure: red/amber Slack attachment with the failing unit, its systemd states and machine; FS_WEBHOOK_SECRET-style secret', async () => {
    const slack = await server();
    const hook = await server();
    const notifier = createNotifier([
      parseTarget(`slack:${slack.origin}${SLACK_PATH}`),
      parseTarget(`webhook:${hook.origin}/hook`, { webhookSecret: SECRET }),
    ]);
    await notifier.notify(failed);
    const message = JSON.parse(slack.requests[0]?.body ?? '');
    expect(message.text).toBe('fs create v2 of *web* failed and was rolled back (alice@ci-1)');
    expect(message.attachments[0].color).toBe('warning');
    expect(message.attachments[0].fields).toEqual(
      expect.arrayContaining([
        { title: 'Rolled back to', value: 'v1', short: true },
        { title: 'Failed unit', value: 'web@1.service', short: true },
        { title: 'systemd', value: 'loaded / failed / failed', short: true },
        { title: 'Machine', value: '0123456789ab (10.0.0.1)', short: true },
      ]),
    );
    const doc = JSON.parse(hook.requests[0]?.body ?? '');
    expect(doc).toMatchObject({
      ok: false,
      exitCode: 7,
      event: 'rolled-back',
      result: { outcome: 'rolled-back' },
    });
    expect(
      verifySignature(
        hook.requests[0]?.body ?? '',
        SECRET,
        String(hook.requests[0]?.headers['x-fs-signature']),
      ),
    ).toBe(true);
    expect(failed.result).toBe(result); // nothing changed the notice or the result
    expect(result.outcome).toBe('rolled-back');
  });

  it('500 then 200: retried once with the same body and delivery id', async () => {
    const slack = await server([500, 200]);
    const hook = await server([503, 200]);
    const reports = await createNotifier(
      [parseTarget(`slack:${slack.origin}${SLACK_PATH}`), parseTarget(`webhook:${hook.origin}/hook`)],
      { retryDelayMs: 1 },
    ).notify(failed);
    expect(reports.map((r) => [r.ok, r.attempts])).toEqual([
      [true, 2],
      [true, 2],
    ]);
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[0]?.body).toBe(slack.requests[1]?.body);
    expect(hook.requests[0]?.headers['x-fs-delivery']).toBe(hook.requests[1]?.headers['x-fs-delivery']);
    expect(hook.requests[0]?.body).toBe(hook.requests[1]?.body);
  });

  it('a 4xx is not retried; 500 every time gives up after the retries; the other target still gets its notice', async () => {
    const gone = await server([404]);
    const broken = await server([500]);
    const fine = await server();
    const moved = await server([302]);
    const events: NotifyEvent[] = [];
    const reports = await createNotifier(
      [
        parseTarget(`webhook:${gone.origin}/hook/p4th-t0ken`),
        parseTarget(`slack:${broken.origin}${SLACK_PATH}`),
        parseTarget(`webhook:${fine.origin}/ok`),
        parseTarget(`webhook:${moved.origin}/old`),
      ],
      { retries: 2, retryDelayMs: 1, onEvent: (e) => events.push(e) },
    ).notify(failed);
    expect(reports.map((r) => [r.ok, r.attempts, r.error?.code])).toEqual([
      [false, 1, 'ERR_NOTIFY_HTTP'],
      [false, 3, 'ERR_NOTIFY_HTTP'],
      [true, 1, undefined],
      [false, 1, 'ERR_NOTIFY_HTTP'], // a redirect is not followed (it would resend the body elsewhere)
    ]);
    expect(moved.requests).toHaveLength(1);
    expect(gone.requests).toHaveLength(1);
    expect(broken.requests).toHaveLength(3);
    expect(fine.requests).toHaveLength(1);
    expect(
      events
        .filter((e) => e.type === 'notify-failed')
        .map((e) => (e.type === 'notify-failed' ? e.error.status : 0))
        .sort(),
    ).toEqual([302, 404, 500]);
    expectNoSecret(events);
    expectNoSecret(
      reports.map((r) => ({ message: r.error?.message, cause: String((r.error?.cause as Error)?.message) })),
    );
  });

  it('a target that refuses connections is reported after its retries; the others still get theirs', async () => {
    const port = await refusedPort();
    const fine = await server();
    const events: NotifyEvent[] = [];
    const reports = await createNotifier(
      [
        parseTarget(`webhook:http://127.0.0.1:${port}/hook/p4th-t0ken?secret=${SECRET}`),
        parseTarget(`slack:${fine.origin}${SLACK_PATH}`),
      ],
      { retries: 1, retryDelayMs: 1, onEvent: (e) => events.push(e) },
    ).notify(failed);
    expect(reports.map((r) => [r.ok, r.attempts, r.error?.code])).toEqual([
      [false, 2, 'ERR_NOTIFY_NETWORK'],
      [true, 1, undefined],
    ]);
    expect(reports[0]?.error?.message).toMatch(/ECONNREFUSED/);
    expect(fine.requests).toHaveLength(1);
    expectNoSecret(events);
    expectNoSecret(reports.map((r) => r.error?.message));
  });

  it('a target that never answers is abandoned at its timeout (manual clock); the others are not held', async () => {
    const clock = new ManualClock(0);
    const hanging = await server(['hang']);
    const fine = await server();
    const events: NotifyEvent[] = [];
    let firstEvent: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      firstEvent = resolve;
    });
    const notifier = createNotifier(
      [parseTarget(`webhook:${hanging.origin}/hook/p4th-t0ken`), parseTarget(`webhook:${fine.origin}/ok`)],
      {
        clock,
        timeoutMs: 5_000,
        onEvent: (e) => {
          events.push(e);
          firstEvent();
        },
      },
    );
    const sent = notifier.notify(succeeded);
    await hanging.received(1);
    await first; // the answering target is done without any time passing
    await clock.advance(4_999);
    expect(events.map((e) => e.type)).toEqual(['notify-sent']); // the other still waits
    await clock.advance(1);
    const reports = await sent;
    expect(reports.map((r) => [r.ok, r.error?.code, r.durationMs])).toEqual([
      [false, 'ERR_NOTIFY_TIMEOUT', 5_000],
      [true, undefined, 0],
    ]);
    expect(events.map((e) => e.type)).toEqual(['notify-sent', 'notify-failed']);
    await notifier.close();
    expectNoSecret(events);
  });
});
