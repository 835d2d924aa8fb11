import { goString } from './go-json-encode.js';

/** A request as the handlers see it: the path percent-decoded (as Go's ServeMux routes it). */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Header names and values as sent, in order (duplicates kept). */
  rawHeaders: readonly string[];
  body: string;
}

/** What to answer: a response, or `panic` (close the connection without one, like a Go handler panic). */
export type Reply = { status: number; body: string; contentType: string | undefined } | { panic: true };

export const JSON_TYPE = 'application/json';

/** 200/4xx/5xx with a JSON body. */
export const jsonReply = (status: number, body: string): Reply => ({ status, body, contentType: JSON_TYPE });

/** fleet's error entity: `{"error":{"code":N,"message":"…"}}`. */
export const errorReply = (status: number, message: string): Reply =>
  jsonReply(status, `{"error":{"code":${status},"message":${goString(message)}}}`);

/** 201/204 with no body (and no Content-Type unless asked, as PATCH /machines does). */
export const emptyReply = (status: number, contentType?: string): Reply => ({
  status,
  body: '',
  contentType,
});

export const PANIC: Reply = { panic: true };

/** Every value of a query parameter. */
export const queryValues = (req: ApiRequest, name: string): string[] => req.query.getAll(name);
