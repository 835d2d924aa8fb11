/**
 * The fleetd version from a `Server` header, e.g. `fleetd/1.0.0` → `1.0.0` (a leading `v` is
 * dropped). `undefined` when the header is absent or is not fleetd's (e.g. a proxy's).
 */
export function parseServerVersion(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*fleetd\/v?([0-9A-Za-z][0-9A-Za-z.+-]*)/i.exec(value);
  return match?.[1];
}
