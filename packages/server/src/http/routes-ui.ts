/**
 * The live status page: `GET /` (services, versions, instances per state and machine, rollouts in
 * flight, last outcomes), `GET /rollouts/{id}` (one rollout's timeline), `GET /ui/live.js` (the
 * live parts) and `GET /ui/feed` (server-sent events of every rollout's changes). Same
 * credentials as the API (a browser asks for the basic-auth password once).
 */
import type { FleetApi } from '@fleet-service/fleet-client';
import type { FastifyInstance } from 'fastify';
import { gatherServices, renderHome } from '../ui/home-page.js';
import type { LiveFeed } from '../ui/live-feed.js';
import { LIVE_SCRIPT } from '../ui/live-script.js';
import { renderRollout } from '../ui/rollout-page.js';
import type { RouteContext } from './context.js';
import { idParams } from './schemas.js';

const HEARTBEAT_MS = 15_000;

export function uiRoutes(
  ctx: RouteContext,
  opts: { api: FleetApi; feed: LiveFeed; store: import('../store/state-store.js').StateStore },
) {
  return async (app: FastifyInstance) => {
    app.get('/', { schema: { summary: 'The live status page (HTML)' } }, async (_req, reply) => {
      let gathered: Awaited<ReturnType<typeof gatherServices>> = { rows: [], machines: new Map() };
      let error: string | undefined;
      try {
        gathered = await gatherServices(
          opts.api,
          ctx.config,
          (service) =>
            opts.store
              .lastOf(service, 20)
              .find((e) => e.request.kind === 'deploy' && e.outcome === 'succeeded' && e.request.version)
              ?.request.version,
        );
      } catch (e) {
        error = `fleet could not be read: ${(e as Error).message}`;
      }
      const inFlight = [...opts.store.inState('running'), ...opts.store.inState('queued')];
      const recent = opts.store.recent(20).filter((e) => e.state === 'finished' || e.state === 'superseded');
      const html = renderHome({
        ...gathered,
        inFlight,
        recent: recent.slice(0, 10),
        feed: opts.feed,
        observedAt: new Date(ctx.clock.now()).toISOString(),
        ...(error ? { error } : {}),
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    });

    app.get<{ Params: { id: string } }>(
      '/rollouts/:id',
      { schema: { summary: "One rollout's page (HTML)", params: idParams } },
      async (req, reply) => {
        const entry = ctx.deployer.get(req.params.id);
        if (!entry)
          return reply
            .code(404)
            .type('text/html; charset=utf-8')
            .send('<!doctype html><p>no such rollout</p>');
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(renderRollout(entry, opts.store.events(entry.id)));
      },
    );

    app.get('/ui/live.js', { schema: { summary: "The status page's script" } }, async (_req, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(LIVE_SCRIPT),
    );

    app.get(
      '/ui/feed',
      { schema: { summary: "Every rollout's changes (server-sent events)" } },
      (req, reply) => {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write(': fs serve feed\n\n');
        const unsubscribe = opts.feed.subscribe((m) =>
          raw.write(`event: rollout\ndata: ${JSON.stringify(m)}\n\n`),
        );
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
        req.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    );
  };
}
