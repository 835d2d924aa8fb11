/**
 * Routes existing deploy scripts call:
 * - SymfoniNext's `PUT /service/{name}` with `{"image": "repo:tag"}` (its curl line sends the JSON
 *   as a form body: any content type is read as JSON here, as its Go server did);
 * - Docker Hub's build webhook `POST /api/dockerhub/webhook?token=…` (the outcome is POSTed to
 *   `callback_url` once every rollout it started ended);
 * - the Docker Registry v2 notification envelope `POST /api/registry/webhook`.
 */
import type { FastifyInstance } from 'fastify';
import type { DockerHubCallbacks } from '../engine/dockerhub-callbacks.js';
import { requestsForPush } from '../engine/push-plan.js';
import { DeployRequestError } from '../errors.js';
import type { DeployRequest, RolloutEntry } from '../store/entry.js';
import { acceptAndAnswer, isTrue, type RouteContext } from './context.js';
import { versionFromImage } from './routes-v1.js';
import { dockerHubBody, registryBody, serviceParams, symfoniBody, waitQuery } from './schemas.js';

const symfoniShape = (image: string) => (e: RolloutEntry) => ({
  service: e.service,
  image,
  id: e.id,
  state: e.state,
  ...(e.outcome ? { outcome: e.outcome } : {}),
  location: `/v1/rollouts/${e.id}`,
});

export function symfoniRoutes(ctx: RouteContext) {
  return async (app: FastifyInstance) => {
    // SymfoniNext's documented curl line has no Content-Type (curl -d sends a form type)
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (error) {
        const e = new Error(`malformed JSON: ${(error as Error).message}`) as Error & { statusCode: number };
        e.statusCode = 400;
        done(e, undefined);
      }
    });
    app.put<{ Params: { name: string }; Body: { image: string }; Querystring: { wait?: string } }>(
      '/service/:name',
      {
        schema: {
          summary: 'SymfoniNext deployer: update a service to an image',
          params: serviceParams,
          querystring: waitQuery,
          body: symfoniBody,
        },
      },
      async (req, reply) => {
        const v = versionFromImage(ctx, req.params.name, req.body.image);
        if ('error' in v) return reply.code(v.error === 'image-mismatch' ? 422 : 400).send(v);
        return acceptAndAnswer(
          ctx,
          { kind: 'deploy', service: req.params.name, version: v.version, source: 'symfoni' },
          reply,
          { wait: isTrue(req.query.wait), acceptedStatus: 200, shape: symfoniShape(req.body.image) },
        );
      },
    );
  };
}

interface DockerHubPush {
  callback_url?: string;
  push_data: { tag: string };
  repository: { repo_name: string };
}

interface RegistryEnvelope {
  events: { action?: string; target?: { repository?: string; tag?: string }; request?: { host?: string } }[];
}

export function webhookRoutes(ctx: RouteContext, callbacks: DockerHubCallbacks) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser(
      'application/vnd.docker.distribution.events.v1+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );
    app.post<{ Body: DockerHubPush }>(
      '/api/dockerhub/webhook',
      { schema: { summary: 'Docker Hub build webhook (token in ?token=)', body: dockerHubBody } },
      async (req, reply) => {
        const callback = safeCallback(req.body.callback_url);
        const match = requestsForPush(
          ctx.config,
          { repositories: [req.body.repository.repo_name], tag: req.body.push_data.tag },
          'dockerhub',
          callback,
        );
        const entries = acceptEach(ctx, match.requests, match.skipped);
        if (callback)
          callbacks.start(
            callback,
            entries.map((e) => e.id),
          );
        return reply.code(202).send({
          rollouts: entries.map((e) => ({ id: e.id, service: e.service, location: `/v1/rollouts/${e.id}` })),
          skipped: match.skipped,
        });
      },
    );
    app.post<{ Body: RegistryEnvelope }>(
      '/api/registry/webhook',
      { schema: { summary: 'Docker Registry v2 notifications (push events)', body: registryBody } },
      async (req, reply) => {
        const entries: RolloutEntry[] = [];
        const skipped: { service: string; reason: string }[] = [];
        for (const e of req.body.events) {
          const repo = e.target?.repository;
          const tag = e.target?.tag;
          if (e.action !== 'push' || !repo || !tag) continue; // manifest pushes by digest have no tag
          const repositories = e.request?.host ? [repo, `${e.request.host}/${repo}`] : [repo];
          const match = requestsForPush(ctx.config, { repositories, tag }, 'registry');
          skipped.push(...match.skipped);
          entries.push(...acceptEach(ctx, match.requests, skipped));
        }
        return reply.code(202).send({
          rollouts: entries.map((e) => ({ id: e.id, service: e.service, location: `/v1/rollouts/${e.id}` })),
          skipped,
        });
      },
    );
  };
}

/** Accept every request a push maps to; one the server refuses (e.g. its unit file does not render) is skipped with the reason. */
function acceptEach(
  ctx: RouteContext,
  requests: readonly DeployRequest[],
  skipped: { service: string; reason: string }[],
): RolloutEntry[] {
  const entries: RolloutEntry[] = [];
  for (const r of requests) {
    try {
      entries.push(ctx.deployer.accept(r));
    } catch (error) {
      if (!(error instanceof DeployRequestError)) throw error;
      skipped.push({ service: r.service, reason: error.message });
    }
  }
  return entries;
}

function safeCallback(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
