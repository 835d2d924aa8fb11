/**
 * deployster's API (bmorton/deployster docs/api-v1.md), with its shapes and status codes:
 * - `POST /v1/services/{name}/deploys` `{"deploy": {"version", "destroy_previous", "instance_count",
 *   "timestamp"}}` → 201, empty body (a versioned deploy, queued like every rollout: `Location`
 *   names it; `?wait=true` answers with its outcome as /v1's routes do);
 * - `DELETE /v1/services/{name}/deploys/{version}` → 204 (the version's shutdown, queued); 404 for
 *   a version that has no unit;
 * - `GET /v1/services/{name}/units` → `{"units": [{service, instance, version, current_state,
 *   desired_state, machine_id}]}`;
 * - `POST /v1/services/{name}/tasks` `{"task": {"version", "command"}}` → 200 `text/plain`, the
 *   task's progress streamed, ending with `Exited (N)`;
 * - `GET /v1/version` → `{"version"}`.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { FleetApi } from '@fleet-service/fleet-client';
import { listVersionedUnits, runTask } from '@fleet-service/rollout';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkVersion, serviceFor } from '../engine/deploy-spec.js';
import { taskUnitFor } from '../engine/task-unit.js';
import { DeployRequestError } from '../errors.js';
import { acceptAndAnswer, errorBody, isTrue, type RouteContext } from './context.js';
import { serviceParams, waitQuery } from './schemas.js';

type DeployBody = {
  deploy: { version: string; destroy_previous?: boolean; instance_count?: number; timestamp?: string };
};
type TaskBody = { task: { version: string; command: string } };

const deployBody = {
  type: 'object',
  required: ['deploy'],
  properties: {
    deploy: {
      type: 'object',
      required: ['version'],
      properties: {
        version: { type: 'string', maxLength: 64 },
        destroy_previous: { type: 'boolean' },
        instance_count: { type: 'integer', minimum: 0, maximum: 10_000 },
        timestamp: { type: 'string', maxLength: 64 },
      },
    },
  },
} as const;

const taskBody = {
  type: 'object',
  required: ['task'],
  properties: {
    task: {
      type: 'object',
      required: ['version', 'command'],
      properties: { version: { type: 'string', maxLength: 64 }, command: { type: 'string' } },
    },
  },
} as const;

export interface DeploysterOptions {
  api: FleetApi;
  /** Shown at GET /v1/version. */
  version: string;
  /** A task's time limit. @default 600_000 (deployster's 10 minutes) */
  taskTimeoutMs?: number;
  /** Between reads of a task's state. @default 1_000 */
  taskPollMs?: number;
}

/** A refused request's answer, or rethrow. */
function refuse(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof DeployRequestError)
    return reply.code(error.status).send(errorBody(error.reason, error.message));
  throw error;
}

export function deploysterRoutes(ctx: RouteContext, opts: DeploysterOptions) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { name: string }; Body: DeployBody; Querystring: { wait?: string } }>(
      '/v1/services/:name/deploys',
      {
        schema: {
          summary: 'deployster: deploy a version beside the running one (S-<version>@1..N); 201',
          params: serviceParams,
          querystring: waitQuery,
          body: deployBody,
        },
      },
      async (req, reply) => {
        const d = req.body.deploy;
        return acceptAndAnswer(
          ctx,
          {
            kind: 'deploy-version',
            service: req.params.name,
            version: d.version,
            destroyPrevious: d.destroy_previous ?? false,
            ...(d.instance_count ? { count: d.instance_count } : {}),
            source: 'deployster',
          },
          reply,
          isTrue(req.query.wait)
            ? { wait: true }
            : { acceptedStatus: 201, shape: () => '' as unknown as object },
        );
      },
    );

    app.delete<{ Params: { name: string; version: string }; Querystring: { wait?: string } }>(
      '/v1/services/:name/deploys/:version',
      {
        schema: {
          summary: 'deployster: shut a version of a service down; 204',
          params: {
            type: 'object',
            required: ['name', 'version'],
            properties: { ...serviceParams.properties, version: { type: 'string', maxLength: 64 } },
          },
          querystring: waitQuery,
        },
      },
      async (req, reply) => {
        const { name, version } = req.params;
        try {
          serviceFor(ctx.config, { service: name });
          checkVersion(version);
        } catch (error) {
          return refuse(reply, error);
        }
        const units = await listVersionedUnits(opts.api, name);
        if (!units.some((u) => u.version === version))
          return reply
            .code(404)
            .send(errorBody('unknown-version', `version ${version} of ${name} has no unit`));
        const wait = isTrue(req.query.wait);
        return acceptAndAnswer(
          ctx,
          { kind: 'destroy-version', service: name, version, source: 'deployster' },
          reply,
          wait ? { wait } : { acceptedStatus: 204, shape: () => '' as unknown as object },
        );
      },
    );

    app.get<{ Params: { name: string } }>(
      '/v1/services/:name/units',
      { schema: { summary: "deployster: the service's units with their versions", params: serviceParams } },
      async (req, reply) => {
        if (!ctx.config.services.has(req.params.name))
          return reply
            .code(404)
            .send(errorBody('unknown-service', `no service "${req.params.name}" in the config`));
        const units = await listVersionedUnits(opts.api, req.params.name);
        return {
          units: units.map((u) => ({
            service: u.service,
            instance: u.instance,
            version: u.version,
            current_state: u.currentState ?? '',
            desired_state: u.desiredState ?? '',
            machine_id: u.machineID ?? '',
          })),
        };
      },
    );

    app.post<{ Params: { name: string }; Body: TaskBody }>(
      '/v1/services/:name/tasks',
      {
        schema: {
          summary:
            'deployster: run a one-off task (S-task-<id>.service) at a version; its progress as text/plain, ending with Exited (N)',
          params: serviceParams,
          body: taskBody,
        },
      },
      async (req, reply) => {
        const service = req.params.name;
        let unitFile: ReturnType<typeof taskUnitFor>;
        try {
          unitFile = taskUnitFor(ctx.config, service, req.body.task.version, req.body.task.command);
        } catch (error) {
          return refuse(reply, error);
        }
        const out = new PassThrough();
        const abort = new AbortController();
        // the client went away: stop waiting (the unit is destroyed all the same)
        reply.raw.on('close', () => {
          if (!reply.raw.writableFinished) abort.abort(new Error('the client closed the connection'));
        });
        void runTask(
          {
            service,
            id: randomBytes(4).toString('hex'),
            unitFile,
            ...(opts.taskTimeoutMs !== undefined ? { timeoutMs: opts.taskTimeoutMs } : {}),
            ...(opts.taskPollMs !== undefined ? { pollIntervalMs: opts.taskPollMs } : {}),
          },
          {
            api: opts.api,
            clock: ctx.clock,
            signal: abort.signal,
            onProgress: (line) => out.write(`${line}\n`),
          },
        ).then(
          (result) => out.end(`\nExited (${result.exitCode})\n`),
          (error: unknown) => out.end(`task failed: ${(error as Error).message}\n\nExited (1)\n`),
        );
        return reply
          .code(200)
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(out);
      },
    );

    app.get('/v1/version', { schema: { summary: "deployster: the server's version" } }, async () => ({
      version: opts.version,
    }));
  };
}
