/** What the fleetd version (from the `Server: fleetd/X.Y.Z` header) allows. */

/** `true` when fleetd replaces contents on PUT with different options (v0.13.0+, fleet-api.md §6, §14). */
export function supportsContentReplace(version: string | undefined): boolean {
  if (version === undefined) return false;
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 0 || minor >= 13;
}
