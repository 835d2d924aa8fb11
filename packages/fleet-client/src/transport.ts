import type http from 'node:http';
import type https from 'node:https';
import { performance } from 'node:perf_hooks';
import got, { type Got, type RequestError, type Response } from 'got';
import type { ResolvedClientOptions } from './client-options.js';
import type { FleetEndpoint } from './endpoint.js';
import { type FleetError, FleetUnreachableError } from './errors.js';
import { type AttemptOutcome, isRetryable, type RetryPolicy, withRetries } from './retry.js';
import { agentFor } from './transport-agent.js';
import { type ClassifiedFailure, classifyFailure } from './transport-errors.js';

export type HttpMethod = 'GET' | 'PUT' | 'DELETE' | 'PATCH';

/** One logical request; the transport may send it several times (retries). */
export interface TransportRequest {
  method: HttpMethod;
  /** Path segments under the API base, unencoded, e.g. `['units', 'web@1.service']`. */
  segments: readonly string[];
  /** Query parameters, in order; values are percent-encoded (`=` → `%3D`). */
  query?: ReadonlyArray<readonly [string, string]>;
  /** JSON body; sent with `Content-Type: application/json`. */
  body?: unknown;
  /** Which failures may be retried. */
  retry: RetryPolicy;
  signal?: AbortSignal | undefined;
  /** For error context. */
  unitName?: string | undefined;
}

/** fleet's answer to a request (any status), after retries. */
export interface TransportResponse {
  method: HttpMethod;
  /** Readable path, e.g. `/fleet/v1/units/web@1.service`. */
  path: string;
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  /** Raw body text (`""` when none). */
  body: string;
  /** Attempts made, 1 when not retried. */
  attempts: number;
  /** An earlier attempt got no response in a way fleet may have acted on (timeout, reset). */
  earlierAttemptMaybeDelivered: boolean;
}

type Attempt = { kind: 'response'; response: TransportResponse } | ({ kind: 'failure' } & ClassifiedFailure);

/** Percent-encodes a query value the way fleet's Go client does (`=` → `%3D`). */
function encodeQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');
}

/**
 * Sends requests to fleet over got with one retry layer bounded by time (p-retry; got's own retry
 * is off), a per-attempt timeout, the agent (the caller's, one over the caller's `connect()`, or
 * the endpoint's own: unix socket, http, https with TLS material), and the hooks.
 * Answers of any status are returned; failures without a response are thrown as FleetErrors;
 * an abort rejects with the signal's reason.
 */
export class FleetTransport {
  readonly endpoint: FleetEndpoint;
  readonly #options: ResolvedClientOptions;
  readonly #agent: http.Agent;
  readonly #ownsAgent: boolean;
  readonly #got: Got;
  #closed = false;
  /** Has any HTTP response come from the endpoint yet? Until then `retry.firstContactTime` applies. */
  #contacted = false;

  constructor(options: ResolvedClientOptions) {
    this.#options = options;
    this.endpoint = options.endpoint;
    const { agent, owned } = agentFor(options);
    this.#agent = agent;
    this.#ownsAgent = owned;
    this.#got = got.extend({
      agent:
        options.endpoint.kind === 'https' ? { https: this.#agent as https.Agent } : { http: this.#agent },
      retry: { limit: 0 },
      timeout: {
        request: options.timeoutMs,
        ...(options.connectTimeoutMs === undefined ? {} : { connect: options.connectTimeoutMs }),
      },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: 'text',
      http2: false,
      headers: { 'user-agent': options.userAgent },
    });
  }

  /** Destroys the client's own agent's sockets (not a caller's `agent`). Requests made afterwards fail. */
  close(): void {
    this.#closed = true;
    if (this.#ownsAgent) this.#agent.destroy();
    this.#options.release?.();
  }

  /** The retry time budget now: `firstContactTime` until fleet has answered once, then `maxRetryTime`. */
  #budget(): number {
    const { maxRetryTime, firstContactTime } = this.#options.retry;
    return this.#contacted ? maxRetryTime : Math.min(firstContactTime, maxRetryTime);
  }

  async request(request: TransportRequest): Promise<TransportResponse> {
    const { method, signal } = request;
    const base = this.endpoint.baseUrl;
    const url = base + request.segments.map(encodeURIComponent).join('/');
    const path = this.endpoint.basePath + request.segments.join('/');
    const query = request.query && request.query.length > 0 ? encodeQuery(request.query) : '';
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let earlierAttemptMaybeDelivered = false;

    const send = async (attempt: number): Promise<Attempt> => {
      signal?.throwIfAborted();
      if (this.#closed) {
        throw new FleetUnreachableError(`${method} ${path} failed: the fleet client is closed`, {
          method,
          path,
          endpoint: this.endpoint.url,
          reason: 'ERR_CLIENT_CLOSED',
        });
      }
      const info = { method, path, query, attempt };
      this.#options.onRequest?.(info);
      const started = performance.now();
      let res: Response<string>;
      try {
        res = await this.#got(query === '' ? url : `${url}?${query}`, {
          method,
          signal,
          ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
        });
      } catch (raw) {
        if (signal?.aborted) {
          this.#options.onResponse?.({
            ...info,
            duration: performance.now() - started,
            error: signal.reason,
          });
          throw signal.reason;
        }
        const failure = classifyFailure(raw, {
          method,
          path,
          endpoint: this.endpoint.url,
          timeoutMs: this.#options.timeoutMs,
          connectTimeoutMs: this.#options.connectTimeoutMs,
          reusedSocket: (raw as RequestError).request?.reusedSocket === true,
          attempt,
          unitName: request.unitName,
        });
        this.#options.onResponse?.({ ...info, duration: performance.now() - started, error: failure.error });
        return { kind: 'failure', ...failure };
      }
      this.#contacted = true;
      this.#options.onResponse?.({ ...info, status: res.statusCode, duration: performance.now() - started });
      const response: TransportResponse = {
        method,
        path,
        status: res.statusCode,
        statusMessage: res.statusMessage ?? '',
        headers: res.headers,
        body: res.body,
        attempts: attempt,
        earlierAttemptMaybeDelivered,
      };
      return { kind: 'response', response };
    };

    const shouldRetry = (outcome: AttemptOutcome<Attempt>): boolean => {
      if (!outcome.ok) return false;
      const attempt = outcome.value;
      if (attempt.kind === 'failure') {
        const retry = isRetryable(request.retry, attempt.facts);
        if (retry && attempt.facts.delivery === 'maybe-delivered') earlierAttemptMaybeDelivered = true;
        return retry;
      }
      const { status } = attempt.response;
      if (status < 500) return false;
      return isRetryable(request.retry, {
        transient: true,
        delivery: status === 503 ? 'not-delivered' : 'processed',
      });
    };

    const last = await withRetries(send, {
      retry: this.#options.retry,
      clock: this.#options.clock,
      signal,
      budget: () => this.#budget(),
      shouldRetry,
    });
    if (last.kind === 'failure') throw last.error satisfies FleetError;
    return last.response;
  }
}
