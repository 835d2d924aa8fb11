/**
 * fleet's pagination (fleet-api.md §5): follow `nextPageToken` until it is absent or empty. A
 * total that is an exact multiple of the page size ends with a token whose page is `{}`. Pages are
 * not snapshots, so items can repeat across pages: dedupe by key.
 */
import type { DecodedPage } from './http-decode.js';
import { badResponse } from './http-response-errors.js';
import type { TransportResponse } from './transport.js';

/** One fetched page, with the response it came from (for error context). */
export interface FetchedPage<T> extends DecodedPage<T> {
  response: TransportResponse;
}

/** Fetches one page; `token` is `undefined` for the first page. */
export type PageFetcher<T> = (token: string | undefined) => Promise<FetchedPage<T>>;

/**
 * Yields each page's items in order. Stops on an absent or empty token; the trailing `{}` page
 * yields nothing. A token that comes back twice is a FleetBadResponseError (it would loop forever).
 */
export async function* walkPages<T>(fetchPage: PageFetcher<T>): AsyncGenerator<T[], void, undefined> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    if (page.items.length > 0) yield page.items;
    const next = page.nextPageToken;
    if (next === undefined || next === '') return;
    if (seen.has(next)) {
      throw badResponse(
        page.response,
        `nextPageToken ${JSON.stringify(next)} came back twice; stopping to avoid a loop`,
      );
    }
    seen.add(next);
    token = next;
  }
}

/** A filter that lets each key through once (first occurrence wins). */
export function dedupeBy<T>(key: (item: T) => string): (item: T) => boolean {
  const seen = new Set<string>();
  return (item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };
}

/** Dedupe key of a unit: its name. */
export const unitKey = (unit: { name: string }): string => unit.name;

/** Dedupe key of a unit state: (name, machineID). */
export const unitStateKey = (state: { name?: string; machineID?: string }): string =>
  `${state.name ?? ''}\u0000${state.machineID ?? ''}`;

/** Dedupe key of a machine: its id. */
export const machineKey = (machine: { id?: string }): string => machine.id ?? '';
