/**
 * Responses shaped exactly as fleetd v1.0 sends them (fleet-api.md §1.2): compact JSON with
 * `Content-Type: application/json`, `Server: fleetd/1.0.0`, and no Content-Type or body on 201/204.
 */
import { HttpResponse } from 'msw';

export const FLEET_SERVER = 'fleetd/1.0.0';
export const MSW_ENDPOINT = 'http://127.0.0.1:49153';
export const API = `${MSW_ENDPOINT}/fleet/v1`;

/** 200 (or `status`) with a JSON body. */
export function fleetJson(body: unknown, status = 200): Response {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', Server: FLEET_SERVER },
  });
}

/** fleet's error entity `{"error":{"code":N,"message":M}}`. */
export function fleetError(status: number, message: string): Response {
  return fleetJson({ error: { code: status, message } }, status);
}

/** 201 or 204 without a body or Content-Type. */
export function fleetEmpty(status: 201 | 204): Response {
  return new HttpResponse(null, { status, headers: { Server: FLEET_SERVER } });
}

/** A page response: `{}` when there are no items and no token. */
export function fleetPage(key: 'units' | 'states' | 'machines', items: unknown[], nextPageToken?: string) {
  const body: Record<string, unknown> = {};
  if (nextPageToken !== undefined) body.nextPageToken = nextPageToken;
  if (items.length > 0) body[key] = items;
  return fleetJson(body);
}
