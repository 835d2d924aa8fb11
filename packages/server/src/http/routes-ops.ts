/** /healthz, /metrics and /openapi.json. */
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteContext } from './context.js';

export function opsRoutes(ctx: RouteContext, openapi: () => object) {
  return async (app: FastifyInstance) => {
    app.get('/healthz', { schema: { summary: 'Liveness: the server answers' } }, async () => ({
      status: 'ok',
      inFlight: ctx.deployer.inFlight(),
      queued: ctx.deployer.queueLength(),
    }));
    app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_req, reply) =>
      reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
    );
    app.get('/openapi.json', { schema: { summary: 'This document' } }, async () => openapi());
  };
}

/** An OpenAPI 3.1 document from the routes' own schemas (collected with fastify's onRoute hook). */
export function openapiCollector(version: string) {
  const paths: Record<string, Record<string, object>> = {};
  return {
    onRoute(route: RouteOptions) {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
        (m) => m !== 'HEAD',
      );
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      for (const method of methods) {
        const op: Record<string, unknown> = { summary: schema.summary ?? '' };
        const params = [...paramsOf(schema.params, 'path'), ...paramsOf(schema.querystring, 'query')];
        if (params.length > 0) op.parameters = params;
        if (schema.body)
          op.requestBody = { required: true, content: { 'application/json': { schema: schema.body } } };
        const responses: Record<string, object> = {};
        for (const [status, s] of Object.entries((schema.response ?? {}) as Record<string, object>))
          responses[status.toUpperCase()] = {
            description: status,
            content: { 'application/json': { schema: s } },
          };
        op.responses = Object.keys(responses).length > 0 ? responses : { 200: { description: 'OK' } };
        paths[path] ??= {};
        paths[path][method.toLowerCase()] = op;
      }
    },
    document: () => ({
      openapi: '3.1.0',
      info: {
        title: 'fs serve',
        version,
        description: 'Deploy over HTTP to a CoreOS fleet cluster, with zero-downtime rolling updates',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
          token: { type: 'apiKey', in: 'query', name: 'token' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }, { token: [] }],
      paths,
    }),
  };
}

function paramsOf(schema: unknown, where: 'path' | 'query') {
  const props = (schema as { properties?: Record<string, object>; required?: string[] } | undefined) ?? {};
  return Object.entries(props.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (props.required ?? []).includes(name),
    schema: s,
  }));
}
