/** fs's own API under /v1. */
import type { FastifyInstance } from 'fastify';
import { parseImageRef, sameRepository } from '../engine/image-ref.js';
import type { DeployRequest } from '../store/entry.js';
import { acceptAndAnswer, errorBody, isTrue, type RouteContext } from './context.js';
import { streamEvents } from './event-stream.js';
import { idParams, rolloutBody, rolloutSchema, serviceParams, waitQuery } from './schemas.js';
import { entryView } from './status-of.js';

type RolloutBody = { version?: string; image?: string; force?: boolean; count?: number };

/** `image` (repo:tag) or `version` → the request's version; the repository must be the service's. */
export function versionFromImage(
  ctx: RouteContext,
  service: string,
  image: string,
): { version: string } | { error: string; message: string } {
  const ref = parseImageRef(image);
  if (!ref) return errorBody('invalid-image', `image "${image}" is not repository:tag`);
  const configured = ctx.config.services.get(service)?.image;
  if (configured && !sameRepository(configured, ref.repository))
    return errorBody(
      'image-mismatch',
      `service "${service}" runs ${configured}, not ${ref.repository} (the repository is set in the config)`,
    );
  return { version: ref.tag };
}

export function v1Routes(ctx: RouteContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { name: string }; Body: RolloutBody | undefined; Querystring: { wait?: string } }>(
      '/v1/services/:name/rollouts',
      {
        schema: {
          summary: 'Roll out a version (image tag) of a service',
          params: serviceParams,
          querystring: waitQuery,
          body: rolloutBody,
          response: { 202: rolloutSchema, 200: rolloutSchema, 409: rolloutSchema },
        },
      },
      async (req, reply) => {
        const body = req.body ?? {};
        let version = body.version;
        if (body.image !== undefined) {
          const v = versionFromImage(ctx, req.params.name, body.image);
          if ('error' in v) return reply.code(v.error === 'image-mismatch' ? 422 : 400).send(v);
          if (version !== undefined && version !== v.version)
            return reply.code(400).send(errorBody('conflict', 'version and image name different tags'));
          version = v.version;
        }
        const request: DeployRequest = {
          kind: 'deploy',
          service: req.params.name,
          source: 'api',
          ...(version !== undefined ? { version } : {}),
          ...(body.force ? { force: true } : {}),
          ...(body.count !== undefined ? { count: body.count } : {}),
        };
        return acceptAndAnswer(ctx, request, reply, { wait: isTrue(req.query.wait) });
      },
    );

    app.post<{ Params: { name: string }; Querystring: { wait?: string } }>(
      '/v1/services/:name/rollback',
      {
        schema: {
          summary: 'Roll a service back to the contents it ran before its last rollout',
          params: serviceParams,
          querystring: waitQuery,
          response: { 202: rolloutSchema, 200: rolloutSchema, 409: rolloutSchema },
        },
      },
      async (req, reply) =>
        acceptAndAnswer(ctx, { kind: 'rollback', service: req.params.name, source: 'api' }, reply, {
          wait: isTrue(req.query.wait),
        }),
    );

    app.get<{ Params: { id: string } }>(
      '/v1/rollouts/:id',
      { schema: { summary: 'A rollout: state, events so far, result', params: idParams } },
      async (req, reply) => {
        const entry = ctx.deployer.get(req.params.id);
        if (!entry) return reply.code(404).send(errorBody('unknown-rollout', `no rollout ${req.params.id}`));
        const events = ctx.deployer.streams.replay(entry.id);
        return { ...entryView(entry), events };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/v1/rollouts/:id/events',
      {
        schema: {
          summary:
            'Stream a rollout’s events (text/event-stream, or application/x-ndjson), replayed from the start',
          params: idParams,
        },
      },
      async (req, reply) => {
        const entry = ctx.deployer.get(req.params.id);
        if (!entry) return reply.code(404).send(errorBody('unknown-rollout', `no rollout ${req.params.id}`));
        streamEvents(ctx.deployer, entry, req, reply);
        return reply;
      },
    );

    app.get(
      '/v1/services',
      { schema: { summary: 'Every configured service, as fs status shows it' } },
      async (_req, reply) => reply.type('application/json').send(await ctx.views.listJson()),
    );

    app.get<{ Params: { name: string } }>(
      '/v1/services/:name',
      { schema: { summary: 'One service: its units as fs status shows them', params: serviceParams } },
      async (req, reply) => {
        const configured = ctx.views.configured(req.params.name);
        if (!configured)
          return reply
            .code(404)
            .send(errorBody('unknown-service', `no service "${req.params.name}" in the config`));
        return {
          service: req.params.name,
          configured,
          cluster: await ctx.describe(req.params.name),
          lastRollout: ctx.views.lastRollout(req.params.name),
        };
      },
    );
  };
}
