import { readPageToken, slicePage } from './pagination.js';
import { type ApiRequest, errorReply, jsonReply, queryValues, type Reply } from './reply.js';

/**
 * One page of a list route: reads the request's `nextPageToken` (fleet's 400 and message on a bad
 * one, checked before anything else), slices `items()` — filters belong inside it, since fleet
 * filters before it paginates — and lets `render` spell the page body in fleet's key order.
 */
export function listPage<T>(
  req: ApiRequest,
  tokenLimit: number,
  items: () => readonly T[],
  render: (page: T[], next: string | undefined) => string,
): Reply {
  let token: ReturnType<typeof readPageToken>;
  try {
    token = readPageToken(queryValues(req, 'nextPageToken'), tokenLimit);
  } catch (error) {
    return errorReply(400, (error as Error).message);
  }
  const { items: page, next } = slicePage(items(), token, tokenLimit);
  return jsonReply(200, render(page, next));
}
