/**
 * createServer: the fastify app, the rollout queue, the state store, metrics, notifications and
 * the re-pull timer, wired together. `listen()` resumes what an earlier run left, then listens.
 */
import { randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import type { NotifyEvent, NotifyTarget } from '@fleet-service/notify';
import { describeService, type LockOptions } from '@fleet-service/rollout';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type Credentials, hasCredentials } from './config/credentials.js';
import { DEFAULT_LISTEN, isLocalOnly, type ListenAddress, parseListen } from './config/listen.js';
import type { ServeConfig } from './config/serve-config.js';
import { Deployer } from './engine/deployer.js';
import { type CallbackPoster, DockerHubCallbacks, fetchPoster } from './engine/dockerhub-callbacks.js';
import { repullRequests } from './engine/push-plan.js';
import { ServiceViews } from './engine/service-views.js';
import { NoCredentialsError } from './errors.js';
import { createAuthCheck } from './http/auth.js';
import { errorBody, type RouteContext } from './http/context.js';
import { symfoniRoutes, webhookRoutes } from './http/routes-compat.js';
import { deploysterRoutes } from './http/routes-deployster.js';
import { openapiCollector, opsRoutes } from './http/routes-ops.js';
import { uiRoutes } from './http/routes-ui.js';
import { v1Routes } from './http/routes-v1.js';
import { createMetrics } from './metrics.js';
import { createNotifyBridge } from './notify-bridge.js';
import { StateStore } from './store/state-store.js';
import { LiveFeed } from './ui/live-feed.js';

export interface ServeOptions {
  /** The fleet client rollouts go through. */
  api: FleetApi;
  /** The services (loadServeConfig). */
  config: ServeConfig;
  /** Who may call. Required unless `noAuth` on a loopback or unix listener. */
  credentials?: Credentials;
  /** Serve without authentication (refused unless the listener is loopback or a unix socket). @default false */
  noAuth?: boolean;
  /** `host:port` or `unix:PATH`. @default '127.0.0.1:4500' */
  listen?: string | ListenAddress;
  /** HTTPS with this certificate and key (PEM). @default plain HTTP */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Where the state store lives. @default in memory (nothing survives a restart) */
  stateDir?: string;
  /** Finished rollouts kept in the store. @default 1000 */
  keepRollouts?: number;
  /** Services rolled out at once. @default 4 */
  parallel?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Lock settings for every rollout. */
  lock?: Omit<LockOptions, 'owner' | 'isHolderAlive'>;
  /** Wait between tries while another replica holds a lock. @default 5_000 */
  lockRetryMs?: number;
  /** Forced rolling restart of services on moving tags every this many ms. @default off */
  repullPeriodMs?: number;
  /** Notification targets for every service (@fleet-service/notify's parseTarget). @default none */
  notify?: NotifyTarget[];
  /** Notification delivery reports (the CLI prints them). */
  onNotifyEvent?: (e: NotifyEvent) => void;
  /** fastify's logger (pino). @default false */
  logger?: FastifyServerOptions['logger'];
  /** Time to receive a whole request. @default 30_000 */
  requestTimeoutMs?: number;
  /** Request bodies above this are refused with 413. @default 1 MiB */
  bodyLimit?: number;
  /** Shown in locks and notices. */
  host?: string;
  pid?: number;
  /** How Docker Hub's callback_url is POSTed. @default fetch */
  postCallback?: CallbackPoster;
  /** How long GET /v1/services may serve a cached cluster listing. @default 2_000 */
  statusTtlMs?: number;
  /** The version shown in /openapi.json and GET /v1/version. @default '0.1.0' */
  version?: string;
  /** A one-off task's time limit (then destroyed, `Exited (124)`). @default 600_000 */
  taskTimeoutMs?: number;
  /** Between reads of a task's state. @default 1_000 */
  taskPollMs?: number;
}

export interface FsServer {
  app: FastifyInstance;
  deployer: Deployer;
  store: StateStore;
  /** This server's lock owner name (the same after a restart with the same state dir). */
  owner: string;
  /** Resume what an earlier run left, then listen. Resolves with the address (`http://…` or the socket path). */
  listen(): Promise<string>;
  /** Stop listening, interrupt running rollouts (resumed by the next start), close the store. */
  close(): Promise<void>;
}

export function createServer(opts: ServeOptions): FsServer {
  const address = typeof opts.listen === 'object' ? opts.listen : parseListen(opts.listen ?? DEFAULT_LISTEN);
  if (!hasCredentials(opts.credentials) && !(opts.noAuth && isLocalOnly(address)))
    throw new NoCredentialsError(
      opts.noAuth
        ? `--no-auth is only allowed on a loopback or unix listener (not ${describe(address)})`
        : 'no credential: set FS_SERVE_TOKEN, FS_SERVE_TOKEN_FILE or FS_SERVE_PASSWORD_FILE (or --no-auth on a loopback or unix listener)',
    );
  const clock = opts.clock ?? systemClock;
  const store = new StateStore({
    ...(opts.stateDir ? { dir: opts.stateDir } : {}),
    ...(opts.keepRollouts !== undefined ? { keepRollouts: opts.keepRollouts } : {}),
  });
  const owner = `fs-serve/${store.meta('server-id', () => randomUUID()).slice(0, 8)}`;
  const views = new ServiceViews({
    api: opts.api,
    config: opts.config,
    store,
    clock,
    ...(opts.statusTtlMs !== undefined ? { ttlMs: opts.statusTtlMs } : {}),
  });
  const bridge = createNotifyBridge(opts.config, opts.notify ?? [], {
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.onNotifyEvent ? { onNotifyEvent: opts.onNotifyEvent } : {}),
  });
  let metricsEnded: (e: import('./store/entry.js').RolloutEntry) => void = () => {};
  const feed = new LiveFeed();
  const deployer = new Deployer({
    api: opts.api,
    config: opts.config,
    store,
    clock,
    owner,
    ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.pid !== undefined ? { pid: opts.pid } : {}),
    ...(opts.lock ? { lock: opts.lock } : {}),
    ...(opts.lockRetryMs !== undefined ? { lockRetryMs: opts.lockRetryMs } : {}),
    onEvent: (entry, event) => {
      feed.event(entry, event);
      bridge?.onEvent(entry, event);
    },
    onChange: (entry) => {
      feed.change(entry);
      if (entry.state !== 'finished' && entry.state !== 'superseded') return;
      views.invalidate();
      metricsEnded(entry);
      bridge?.ended(entry);
    },
  });
  const metrics = createMetrics({
    inFlight: () => deployer.inFlight(),
    queued: () => deployer.queueLength(),
  });
  metricsEnded = metrics.ended;

  const app = Fastify({
    logger: opts.logger ? withRedaction(opts.logger) : false,
    bodyLimit: opts.bodyLimit ?? 1_048_576,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    connectionTimeout: 0,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    // a body is what it says: no type coercion, no silently dropped keys
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
  } as FastifyServerOptions);
  const openapi = openapiCollector(opts.version ?? '0.1.0');
  app.addHook('onRoute', openapi.onRoute);

  const check =
    opts.credentials && hasCredentials(opts.credentials) ? createAuthCheck(opts.credentials) : undefined;
  app.addHook('onRequest', async (req, reply) => {
    if (!check || req.url === '/healthz') return;
    const token = (req.query as { token?: string } | undefined)?.token;
    const verdict = check(req.headers.authorization, typeof token === 'string' ? token : undefined);
    if (verdict === 'missing') {
      reply.header('www-authenticate', 'Bearer realm="fs serve", Basic realm="fs serve"');
      return reply
        .code(401)
        .send(errorBody('unauthorized', 'a token or password is required (Authorization header)'));
    }
    if (verdict === 'wrong')
      return reply.code(403).send(errorBody('forbidden', 'the credential is not accepted'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('not-found', `no route ${req.method} ${req.url.split('?')[0]}`)),
  );
  app.setErrorHandler(
    (error: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 500)
        req.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
      const code =
        status === 413
          ? 'body-too-large'
          : error.validation
            ? 'invalid-request'
            : status === 400
              ? 'malformed-request'
              : status === 415
                ? 'unsupported-media-type'
                : status >= 500
                  ? 'internal'
                  : 'bad-request';
      return reply.code(status).send(errorBody(code, status >= 500 ? 'internal error' : error.message));
    },
  );

  const ctx: RouteContext = {
    config: opts.config,
    deployer,
    views,
    metrics,
    clock,
    describe: (service) => describeService(opts.api, service, { clock }),
  };
  void app.register(v1Routes(ctx));
  void app.register(symfoniRoutes(ctx));
  const callbacks = new DockerHubCallbacks(store, deployer, opts.postCallback ?? fetchPoster, (message) =>
    app.log.warn({ err: { message } }, 'Docker Hub callback failed'),
  );
  void app.register(webhookRoutes(ctx, callbacks));
  void app.register(opsRoutes(ctx, openapi.document));
  void app.register(uiRoutes(ctx, { api: opts.api, feed, store }));
  void app.register(
    deploysterRoutes(ctx, {
      api: opts.api,
      version: opts.version ?? '0.1.0',
      ...(opts.taskTimeoutMs !== undefined ? { taskTimeoutMs: opts.taskTimeoutMs } : {}),
      ...(opts.taskPollMs !== undefined ? { taskPollMs: opts.taskPollMs } : {}),
    }),
  );

  const repull = new AbortController();
  const startRepull = () => {
    const period = opts.repullPeriodMs;
    if (!period) return;
    void (async () => {
      for (;;) {
        try {
          await clock.sleep(period, repull.signal);
        } catch {
          return;
        }
        for (const r of repullRequests(opts.config)) {
          try {
            deployer.accept(r);
          } catch (error) {
            app.log.warn({ err: { message: (error as Error).message } }, `re-pull of ${r.service} refused`);
          }
        }
      }
    })();
  };

  return {
    app,
    deployer,
    store,
    owner,
    async listen() {
      deployer.resume();
      callbacks.resume();
      startRepull();
      if (address.kind === 'unix') {
        try {
          unlinkSync(address.path);
        } catch {
          // no stale socket
        }
        await app.listen({ path: address.path });
        return address.path;
      }
      const at = await app.listen({ host: address.host, port: address.port });
      return at;
    },
    async close() {
      repull.abort();
      await deployer.close();
      await app.close();
      await bridge?.close();
      store.close();
    },
  };
}

/** Request logs without secrets: no headers, and `token=` query values replaced. */
function withRedaction(logger: NonNullable<FastifyServerOptions['logger']>): FastifyServerOptions['logger'] {
  const base = typeof logger === 'object' ? logger : {};
  return {
    ...base,
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        ...(req.ip ? { remoteAddress: req.ip } : {}),
      }),
    },
  } as FastifyServerOptions['logger'];
}

/** `/api/dockerhub/webhook?token=abc` → `/api/dockerhub/webhook?token=***`. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|secret|password)=)[^&]*/gi, '$1***');
}

function describe(a: ListenAddress): string {
  return a.kind === 'unix' ? `unix:${a.path}` : `${a.host}:${a.port}`;
}
