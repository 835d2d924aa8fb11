import { readFileSync } from 'node:fs';
import { type Clock, systemClock } from './clock.js';
import { DEFAULT_ENDPOINT, type FleetEndpoint, parseEndpoint } from './endpoint.js';
import type { FleetError } from './errors.js';
import { InvalidClientOptionsError } from './errors.js';
import { DEFAULT_RETRY, type ResolvedRetryOptions, type RetryOptions } from './retry.js';

/** Passed to `onRequest` just before each attempt is sent. */
export interface RequestInfo {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** Readable path, e.g. `/fleet/v1/units/web@1.service` (query not included). */
  path: string;
  /** Query string sent, without `?` (`""` when none), e.g. `unitName=a.service&nextPageToken=ZAACAA%3D%3D`. */
  query: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** Passed to `onResponse` after each attempt, whether it got a response or failed. */
export interface ResponseInfo extends RequestInfo {
  /** HTTP status, absent when no response came (connection error, timeout, abort). */
  status?: number;
  /** Milliseconds from sending to the end of the response or the failure (wall clock). */
  duration: number;
  /** Why the attempt got no response (an abort gives the signal's reason). */
  error?: FleetError | unknown;
}

/** Timeouts, per attempt. */
export interface TimeoutOptions {
  /** Milliseconds allowed for one attempt, from sending to the last byte of the response. @default 5000 */
  request?: number;
  /**
   * Milliseconds allowed to open the connection (TCP connect, unix socket connect, TLS handshake
   * not included). A connect timeout means fleet never saw the request, so even `createUnit`
   * retries it. @default undefined (only bounded by `request`)
   */
  connect?: number;
}

/** Options of {@link createFleetClient}. Validated once, when the client is created. */
export interface FleetClientOptions {
  /**
   * Where fleet's API listens: `unix:///path`, `unix:/path`, `http+unix://%2Fpath`,
   * `http://host:port[/prefix]` or `https://…` (see `parseEndpoint`).
   * @default 'unix:///var/run/fleet.sock'
   */
  endpoint?: string;
  /** PEM file of the CA(s) that sign the server certificate (https only). @default undefined (system CAs) */
  caFile?: string;
  /** PEM file of the client certificate (https only; needs `keyFile`). @default undefined */
  certFile?: string;
  /** PEM file of the client certificate's private key (https only; needs `certFile`). @default undefined */
  keyFile?: string;
  /** CA certificate(s) as PEM; instead of `caFile`. @default undefined */
  ca?: string | Buffer;
  /** Client certificate as PEM; instead of `certFile`. @default undefined */
  cert?: string | Buffer;
  /** Client private key as PEM; instead of `keyFile`. @default undefined */
  key?: string | Buffer;
  /** Per-attempt timeouts. @default { request: 5000 } */
  timeout?: TimeoutOptions;
  /** Retry settings for transient failures of idempotent requests. @default { limit: 3, initialDelay: 250, maxDelay: 4000, factor: 2 } */
  retry?: RetryOptions;
  /** Clock used for the waits between retries. @default systemClock */
  clock?: Clock;
  /** `User-Agent` header. @default 'fleet-service-client/0.1' */
  userAgent?: string;
  /** Reuse connections between requests. @default true */
  keepAlive?: boolean;
  /** Called before every attempt (for logging and request counting). @default undefined */
  onRequest?: (info: RequestInfo) => void;
  /** Called after every attempt, with its status or its error. @default undefined */
  onResponse?: (info: ResponseInfo) => void;
}

export const DEFAULT_REQUEST_TIMEOUT = 5000;
export const DEFAULT_USER_AGENT = 'fleet-service-client/0.1';

/** TLS material, read and ready to hand to an https.Agent. */
export interface ResolvedTls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
}

/** Options after validation, with defaults filled in and files read. */
export interface ResolvedClientOptions {
  endpoint: FleetEndpoint;
  tls: ResolvedTls;
  timeoutMs: number;
  connectTimeoutMs: number | undefined;
  retry: ResolvedRetryOptions;
  clock: Clock;
  userAgent: string;
  keepAlive: boolean;
  onRequest: ((info: RequestInfo) => void) | undefined;
  onResponse: ((info: ResponseInfo) => void) | undefined;
}

function fail(option: string, why: string, cause?: unknown): never {
  throw new InvalidClientOptionsError(`invalid fleet client option ${option}: ${why}`, option, cause);
}

function number(option: string, value: unknown, fallback: number, check: { min: number; integer?: boolean }) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(option, `expected a finite number, got ${String(value)}`);
  if (check.integer && !Number.isInteger(value)) fail(option, `expected an integer, got ${value}`);
  if (value < check.min) fail(option, `must be at least ${check.min}, got ${value}`);
  return value;
}

function material(
  options: FleetClientOptions,
  fileOption: 'caFile' | 'certFile' | 'keyFile',
  inline: 'ca' | 'cert' | 'key',
): Buffer | string | undefined {
  const file = options[fileOption];
  const value = options[inline];
  if (file !== undefined && value !== undefined)
    fail(fileOption, `give either ${fileOption} or ${inline}, not both`);
  if (value !== undefined) {
    if (typeof value !== 'string' && !Buffer.isBuffer(value))
      fail(inline, 'expected a PEM string or a Buffer');
    return value;
  }
  if (file === undefined) return undefined;
  if (typeof file !== 'string' || file === '') fail(fileOption, 'expected a file path');
  try {
    return readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return fail(fileOption, `cannot read "${file}" (${code})`, cause);
  }
}

function hook<T>(option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(option, 'expected a function');
  return value as T;
}

/**
 * Validates every option once, fills in defaults and reads the TLS files.
 * @throws InvalidClientOptionsError naming the option, or InvalidEndpointError.
 */
export function resolveClientOptions(options: FleetClientOptions = {}): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'expected an object');
  const endpoint = parseEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);

  const timeout = options.timeout ?? {};
  if (typeof timeout !== 'object' || timeout === null)
    fail('timeout', 'expected an object like { request: 5000 }');
  const timeoutMs = number('timeout.request', timeout.request, DEFAULT_REQUEST_TIMEOUT, { min: 1 });
  const connectTimeoutMs =
    timeout.connect === undefined ? undefined : number('timeout.connect', timeout.connect, 0, { min: 1 });

  const retryInput = options.retry ?? {};
  if (typeof retryInput !== 'object' || retryInput === null) fail('retry', 'expected an object');
  const retry: ResolvedRetryOptions = Object.freeze({
    limit: number('retry.limit', retryInput.limit, DEFAULT_RETRY.limit, { min: 0, integer: true }),
    initialDelay: number('retry.initialDelay', retryInput.initialDelay, DEFAULT_RETRY.initialDelay, {
      min: 0,
    }),
    maxDelay: number('retry.maxDelay', retryInput.maxDelay, DEFAULT_RETRY.maxDelay, { min: 0 }),
    factor: number('retry.factor', retryInput.factor, DEFAULT_RETRY.factor, { min: 1 }),
  });
  if (retry.maxDelay < retry.initialDelay) {
    fail(
      'retry.maxDelay',
      `must be at least retry.initialDelay (${retry.initialDelay}), got ${retry.maxDelay}`,
    );
  }

  const clock = options.clock ?? systemClock;
  if (typeof clock?.sleep !== 'function' || typeof clock.now !== 'function') {
    fail('clock', 'expected a Clock with now() and sleep(ms, signal)');
  }
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  if (typeof userAgent !== 'string' || userAgent === '' || /[\r\n]/.test(userAgent)) {
    fail('userAgent', 'expected a non-empty single-line string');
  }
  const keepAlive = options.keepAlive ?? true;
  if (typeof keepAlive !== 'boolean') fail('keepAlive', 'expected a boolean');

  const tls: ResolvedTls = {};
  const ca = material(options, 'caFile', 'ca');
  const cert = material(options, 'certFile', 'cert');
  const key = material(options, 'keyFile', 'key');
  if ((cert === undefined) !== (key === undefined)) {
    fail(cert === undefined ? 'certFile' : 'keyFile', 'a client certificate needs both certFile and keyFile');
  }
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;

  return {
    endpoint,
    tls,
    timeoutMs,
    connectTimeoutMs,
    retry,
    clock,
    userAgent,
    keepAlive,
    onRequest: hook('onRequest', options.onRequest),
    onResponse: hook('onResponse', options.onResponse),
  };
}
