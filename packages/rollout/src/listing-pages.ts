/**
 * What a whole listing costs in requests: fleet serves lists in pages of its `token_limit`
 * (default 100), and sends a token for one more page whenever the total is a multiple of it
 * (fleet-api.md §5), so `n` items take ⌊n / 100⌋ + 1 requests. The cost models of the capacity
 * gate, the observation and the shared reads all price a listing with this.
 */

/** fleet's default page size (`token_limit`). */
export const FLEET_PAGE_SIZE = 100;

/** Requests a listing of `items` takes. */
export function listingPages(items: number): number {
  return Math.floor(items / FLEET_PAGE_SIZE) + 1;
}
