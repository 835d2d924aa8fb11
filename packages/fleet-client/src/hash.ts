/** fleet's unit content hash (`unit/unit.go` `Hash`, fleet-api.md §11.3). */
import { createHash } from 'node:crypto';
import type { UnitOption } from './types.js';
import { serializeUnitFile } from './unit-file-serialize.js';

/** SHA-1 of the empty unit file (no options). */
export const EMPTY_UNIT_HASH = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

/**
 * fleet's content hash of a unit: lowercase hex SHA-1 of {@link serializeUnitFile}. This is what
 * `UnitState.hash` reports and what fleet compares to tell "contents replaced" (201) from
 * "same contents" (204). Hash normalised options ({@link normalizeUnitOptions}) to compare with
 * what fleet returns.
 */
export function unitHash(options: readonly UnitOption[]): string {
  return createHash('sha1').update(serializeUnitFile(options), 'utf8').digest('hex');
}

/** fleetctl's short hash: the first 7 characters. */
export function shortHash(hash: string): string {
  return hash.slice(0, 7);
}
