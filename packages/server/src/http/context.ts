/** What every route gets. */
import type { Clock } from '@fleet-service/fleet-client';
import type { FastifyReply } from 'fastify';
import type { ServeConfig } from '../config/serve-config.js';
import type { Deployer } from '../engine/deployer.js';
import type { ServiceViews } from '../engine/service-views.js';
import { DeployRequestError } from '../errors.js';
import type { ServeMetrics } from '../metrics.js';
import type { DeployRequest, RolloutEntry } from '../store/entry.js';
import { entryView, statusOfEntry } from './status-of.js';

export interface RouteContext {
  config: ServeConfig;
  deployer: Deployer;
  views: ServiceViews;
  metrics: ServeMetrics;
  clock: Clock;
  describe: (service: string) => Promise<unknown>;
}

/** `?wait=true` / `?wait=1`. */
export const isTrue = (v: string | undefined) => v === 'true' || v === '1';

/** The JSON body of an error answer. */
export const errorBody = (error: string, message: string) => ({ error, message });

/** Accept the request (stored before answering) → 202 + Location; with `wait`, the outcome's status. */
export async function acceptAndAnswer(
  ctx: RouteContext,
  request: DeployRequest,
  reply: FastifyReply,
  opts: { wait?: boolean; acceptedStatus?: number; shape?: (entry: RolloutEntry) => object } = {},
): Promise<FastifyReply> {
  let entry: RolloutEntry;
  try {
    entry = ctx.deployer.accept(request);
  } catch (error) {
    if (error instanceof DeployRequestError)
      return reply.code(error.status).send(errorBody(error.reason, error.message));
    throw error;
  }
  const shape = opts.shape ?? ((e: RolloutEntry) => entryView(e));
  reply.header('location', `/v1/rollouts/${entry.id}`);
  if (!opts.wait) return reply.code(opts.acceptedStatus ?? 202).send(shape(entry));
  const final = await ctx.deployer.waitFor(entry.id);
  return reply.code(statusOfEntry(final)).send(shape(final));
}
