/**
 * The two units the engine owns per service, next to (never among) the service's own units:
 *
 * - `S.fs-record.service` — the rollout record: previous and new contents, status. Inactive, never scheduled.
 * - `S.fs-lock.service`   — the rollout lock: owner, host, pid, start, expiry, token. Inactive, never scheduled.
 *
 * Their prefix is `S.fs-record` / `S.fs-lock`, not `S`, so they are never the template, an instance,
 * `S.service` or a non-indexed instance of S. validateSpec refuses service names ending in
 * `.fs-record` or `.fs-lock`, so they can never be another managed service's units either.
 */

export const RECORD_SUFFIX = '.fs-record';
export const LOCK_SUFFIX = '.fs-lock';

/** Section holding the engine's own data in its reserved units. */
export const RECORD_SECTION = 'X-Fs-Record';
export const LOCK_SECTION = 'X-Fs-Lock';

export function recordUnitName(service: string): string {
  return `${service}${RECORD_SUFFIX}.service`;
}

export function lockUnitName(service: string): string {
  return `${service}${LOCK_SUFFIX}.service`;
}

/** If `name` is one of the engine's reserved units, the service it belongs to. */
export function reservedUnitOwner(name: string): { service: string; kind: 'record' | 'lock' } | undefined {
  for (const [suffix, kind] of [
    [`${RECORD_SUFFIX}.service`, 'record'],
    [`${LOCK_SUFFIX}.service`, 'lock'],
  ] as const) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      return { service: name.slice(0, -suffix.length), kind };
    }
  }
  return undefined;
}

/** Is `service` a name the engine refuses because it would collide with reserved units? */
export function isReservedServiceName(service: string): boolean {
  return service.endsWith(RECORD_SUFFIX) || service.endsWith(LOCK_SUFFIX);
}
