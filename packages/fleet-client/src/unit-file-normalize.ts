/** Options as fleet's etcd registry gives them back (fleet-api.md §7.3). */
import type { UnitOption } from './types.js';
import { goSystemdDeserialize, goTrimSpace } from './unit-file-go-lexer.js';
import { groupBySection, serializeUnitFile } from './unit-file-serialize.js';

/** Re-read serialised options with go-systemd until nothing changes (at most a few rounds). */
function reread(options: readonly UnitOption[]): UnitOption[] | undefined {
  let text = serializeUnitFile(options);
  for (let round = 0; round < 8; round++) {
    const result = goSystemdDeserialize(text);
    if (result.error !== undefined) return undefined;
    const next = serializeUnitFile(result.options);
    if (next === text) return result.options;
    text = next;
  }
  return undefined;
}

/**
 * Options as fleet stores and returns them: fleet keeps the serialised text and re-parses it on
 * every read, so `GET /units/{name}` gives options grouped by section (first-seen order, order
 * kept within a section) with names and values trimmed, plus go-systemd's other re-parse
 * effects. The result is a fixed point: PUT it, and GET returns exactly it, so re-PUTs, hashes
 * and `UnitState.hash` all agree. Idempotent.
 *
 * (A re-parse is not always stable on its own: `A=\ ` reads back as `\`, which is then read
 * as a continuation, `\` + newline. Such values are taken to where they settle.)
 *
 * For options fleet would reject on create (see {@link validateUnitOptions}) the result is the
 * grouped, trimmed options.
 */
export function normalizeUnitOptions(options: readonly UnitOption[]): UnitOption[] {
  const settled = reread(options);
  if (settled !== undefined) return settled;
  const trimmed = groupBySection(options).flatMap(([, group]) =>
    group.map((o) => ({ section: o.section, name: goTrimSpace(o.name), value: goTrimSpace(o.value) })),
  );
  return reread(trimmed) ?? trimmed;
}
