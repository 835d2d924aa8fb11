/**
 * `GET /v1/rollouts/{id}/events`: server-sent events (default) or NDJSON (`Accept:
 * application/x-ndjson`), replayed from the start (or after `Last-Event-ID`), then followed live
 * until the rollout ends; the last message is `end` with the rollout's state and outcome.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deployer } from '../engine/deployer.js';
import type { RolloutEntry, StoredEvent } from '../store/entry.js';
import { statusOfEntry } from './status-of.js';

const HEARTBEAT_MS = 15_000;

export function streamEvents(
  deployer: Deployer,
  entry: RolloutEntry,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const ndjson = /application\/x-ndjson/.test(request.headers.accept ?? '');
  const lastId = Number(request.headers['last-event-id'] ?? 0);
  const after = Number.isInteger(lastId) && lastId > 0 ? lastId : 0;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': ndjson ? 'application/x-ndjson' : 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const write = (e: StoredEvent) => {
    const json = JSON.stringify(e.event);
    raw.write(
      ndjson
        ? `${JSON.stringify({ seq: e.seq, ...e.event })}\n`
        : `id: ${e.seq}\nevent: ${e.event.type}\ndata: ${json}\n\n`,
    );
  };
  let unsubscribe = () => {};
  let ended = false;
  // an SSE comment now and then keeps proxies from closing a quiet stream (a long health wait)
  const heartbeat = ndjson ? undefined : setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat?.unref();
  const end = (final: RolloutEntry) => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    const summary = {
      type: 'end',
      id: final.id,
      state: final.state,
      status: statusOfEntry(final),
      ...(final.outcome ? { outcome: final.outcome } : {}),
      ...(final.supersededBy ? { supersededBy: final.supersededBy } : {}),
    };
    raw.end(ndjson ? `${JSON.stringify(summary)}\n` : `event: end\ndata: ${JSON.stringify(summary)}\n\n`);
  };
  raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
  unsubscribe = deployer.watch(entry, after, { onEvent: write, onEnd: end });
}
