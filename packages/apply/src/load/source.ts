/**
 * Reading services.yaml and unit files: a path, a `file:` URL, or an http(s) URL fetched with got
 * (per-phase timeouts, a few retries on transient failures, and conditional requests: an unchanged
 * source answers 304 and costs no body). One SourceReader keeps the validators between reads, so
 * a watch loop re-reads an unchanged source cheaply.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Got, got, RequestError } from 'got';
import { SourceError } from '../errors.js';

export interface SourceOptions {
  /** Per request, ms. @default 10_000 */
  timeoutMs?: number;
  /** Retries of a transient failure (network, 5xx, 429). @default 2 */
  retries?: number;
  /** Stop waiting. */
  signal?: AbortSignal;
}

/** What one read got. */
export interface SourceText {
  text: string;
  /** The URL or path read. */
  source: string;
  /** The server said 304 (or the file's size and mtime are the same): the text is the cached one. */
  notModified: boolean;
  /** ETag, Last-Modified or the file's mtime: changes when the source does. */
  validator: string;
}

interface Cached {
  text: string;
  etag?: string;
  lastModified?: string;
  validator: string;
}

/** Is `ref` an http(s) URL? */
export const isHttpUrl = (ref: string) => /^https?:\/\//i.test(ref);

/**
 * `ref` resolved against `base` (a directory path or an http(s) URL ending in `/`, as coco's
 * rootURI is written): absolute URLs and absolute paths stay as they are.
 */
export function resolveRef(ref: string, base: string): string {
  if (isHttpUrl(ref) || ref.startsWith('file:')) return ref;
  if (isHttpUrl(base)) return new URL(ref, base.endsWith('/') ? base : `${base}/`).toString();
  if (isAbsolute(ref)) return ref;
  return resolvePath(base.startsWith('file:') ? fileURLToPath(base) : base, ref);
}

/** The directory (or URL "directory") that holds `ref`. */
export function baseOf(ref: string): string {
  if (isHttpUrl(ref)) return new URL('.', ref).toString();
  const path = ref.startsWith('file:') ? fileURLToPath(ref) : ref;
  return resolvePath(path, '..');
}

export class SourceReader {
  readonly #cache = new Map<string, Cached>();
  readonly #got: Got;
  readonly #signal: AbortSignal | undefined;

  constructor(opts: SourceOptions = {}) {
    this.#signal = opts.signal;
    this.#got = got.extend({
      timeout: { request: opts.timeoutMs ?? 10_000 },
      retry: { limit: opts.retries ?? 2, backoffLimit: 2_000 },
      throwHttpErrors: false,
      followRedirect: true,
      headers: { 'user-agent': 'fleet-service-apply' },
    });
  }

  /** Read `ref` (URL or path); SourceError when it cannot be read. */
  async read(ref: string, signal = this.#signal): Promise<SourceText> {
    return isHttpUrl(ref) ? this.#readUrl(ref, signal) : this.#readFile(ref);
  }

  async #readUrl(url: string, signal: AbortSignal | undefined): Promise<SourceText> {
    const cached = this.#cache.get(url);
    const headers: Record<string, string> = {};
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    let response: {
      statusCode: number;
      statusMessage?: string;
      body: string;
      headers: Record<string, unknown>;
    };
    try {
      response = await this.#got(url, { headers, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = error instanceof RequestError ? `${error.code}: ${error.message}` : String(error);
      throw new SourceError(url, `unreachable (${reason})`, { cause: error });
    }
    if (response.statusCode === 304 && cached) {
      return { text: cached.text, source: url, notModified: true, validator: cached.validator };
    }
    if (response.statusCode !== 200) {
      throw new SourceError(
        url,
        `HTTP ${response.statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''}`,
        {
          status: response.statusCode,
        },
      );
    }
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined;
    const lastModified =
      typeof response.headers['last-modified'] === 'string' ? response.headers['last-modified'] : undefined;
    const validator = etag ?? lastModified ?? `len:${response.body.length}:${hashText(response.body)}`;
    const entry: Cached = {
      text: response.body,
      validator,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
    if (etag || lastModified) this.#cache.set(url, entry);
    return { text: response.body, source: url, notModified: false, validator };
  }

  async #readFile(ref: string): Promise<SourceText> {
    const path = ref.startsWith('file:') ? fileURLToPath(ref) : ref;
    try {
      const info = await stat(path);
      const validator = `mtime:${info.mtimeMs}:${info.size}`;
      const cached = this.#cache.get(path);
      if (cached && cached.validator === validator)
        return { text: cached.text, source: path, notModified: true, validator };
      const text = await readFile(path, 'utf8');
      this.#cache.set(path, { text, validator });
      return { text, source: path, notModified: false, validator };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error);
      throw new SourceError(path, reason, { cause: error });
    }
  }
}

/** A short content fingerprint (FNV-1a) for servers that send no validator. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}
