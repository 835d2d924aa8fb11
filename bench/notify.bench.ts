// Notifications never hold a rollout: (1) sending one notice to N webhook targets at once
// (FS_BENCH_NOTIFY_TARGETS, default 10) ÷ sending it to one, same receiver, same run — goal ≈ 1,
// the targets go in parallel; (2) a notice to a receiver that never answers, with
// FS_BENCH_NOTIFY_TIMEOUT_MS (default 200) as its timeout ÷ that timeout — goal ≤ 1.1: a stuck
// target costs its timeout and no more. Real loopback servers, real clock (this is wall time).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier, parseTarget, type RolloutNotice } from '@fleet-service/notify';
import type { BenchResult } from './run.js';

const TARGETS = Number(process.env.FS_BENCH_NOTIFY_TARGETS ?? 10);
const TIMEOUT_MS = Number(process.env.FS_BENCH_NOTIFY_TIMEOUT_MS ?? 200);
const ROUNDS = 20;

const notice: RolloutNotice = {
  event: 'succeeded',
  action: 'create',
  service: 'web',
  version: 'v2',
  hash: 'f'.repeat(40),
  replaced: 3,
  added: 0,
  removed: 0,
  durationMs: 1000,
};

/** A receiver that answers after `delayMs` (0: at once), or never (`hang`). */
async function receiver(mode: number | 'hang') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (mode === 'hang') return;
      setTimeout(() => res.writeHead(204).end(), mode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function timeRounds(targets: number, url: string): Promise<number> {
  const notifier = createNotifier(
    Array.from({ length: targets }, (_, i) => parseTarget(`webhook:${url}/hook/${i}`)),
    { retries: 0 },
  );
  await notifier.notify(notice); // warm-up: connections, lazy imports
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const reports = await notifier.notify(notice);
    if (reports.some((r) => !r.ok)) throw new Error('a delivery failed');
  }
  return (performance.now() - t0) / ROUNDS;
}

export default async function bench(): Promise<BenchResult[]> {
  const slow = await receiver(20); // 20 ms per answer: parallel targets overlap it, serial ones add it up
  const hang = await receiver('hang');
  try {
    const one = await timeRounds(1, slow.url);
    const many = await timeRounds(TARGETS, slow.url);
    const notifier = createNotifier([parseTarget(`webhook:${hang.url}/hook`)], { timeoutMs: TIMEOUT_MS });
    const t0 = performance.now();
    const [report] = await notifier.notify(notice);
    const stuck = performance.now() - t0;
    if (report?.error?.code !== 'ERR_NOTIFY_TIMEOUT') throw new Error('the hanging target did not time out');
    return [
      {
        name: `notify ${TARGETS} targets at once`,
        ratio: many / one,
        baseline: 'one target (receiver answers in 20 ms)',
        goal: '≈ 1 (parallel)',
        detail: { oneMs: Number(one.toFixed(1)), manyMs: Number(many.toFixed(1)) },
      },
      {
        name: 'a target that never answers',
        ratio: stuck / TIMEOUT_MS,
        baseline: `its timeout (${TIMEOUT_MS} ms)`,
        goal: '≤ 1.1',
        detail: { wallMs: Number(stuck.toFixed(1)) },
      },
    ];
  } finally {
    await Promise.all([slow.close(), hang.close()]);
  }
}
