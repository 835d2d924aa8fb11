import type { RequestLogEntry } from './types.js';

const ITEM = /^\/(?:fleet\/v1|v1-alpha)\/(units|state|machines)\/[^/]+$/;
const COLLECTION = /^\/(?:fleet\/v1|v1-alpha)\/(units|state|machines|discovery)$/;

/** `GET /units/{name}`-style route key of a decoded path, for the per-route counters. */
export function routeKey(method: string, path: string): string {
  const item = ITEM.exec(path);
  if (item) return `${method} /${item[1]}/{name}`;
  const collection = COLLECTION.exec(path);
  if (collection) return `${method} /${collection[1]}`;
  return `${method} ${path === '/metrics' ? '/metrics' : '(other)'}`;
}

const MUTATIONS = new Set(['PUT', 'DELETE', 'PATCH', 'POST']);

/** Every request the simulated API saw, plus counters. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  readonly #byRoute: Record<string, number> = {};
  #mutations = 0;

  record(entry: RequestLogEntry, route: string): void {
    this.entries.push(entry);
    this.#byRoute[route] = (this.#byRoute[route] ?? 0) + 1;
    if (MUTATIONS.has(entry.method)) this.#mutations++;
  }

  counters(): { requests: number; byRoute: Record<string, number>; mutations: number } {
    return { requests: this.entries.length, byRoute: { ...this.#byRoute }, mutations: this.#mutations };
  }
}
