/**
 * Unit-file serialisation exactly as fleet's vendored go-systemd `unit.Serialize` does it
 * (fleet-api.md §11.2). The output is what fleet hashes and stores.
 */
import type { UnitOption } from './types.js';

/**
 * Group options by section: sections in first-seen order, options in their given order within
 * a section. Returns `[section, options][]`.
 */
export function groupBySection(options: readonly UnitOption[]): [string, UnitOption[]][] {
  const groups = new Map<string, UnitOption[]>();
  for (const option of options) {
    const group = groups.get(option.section);
    if (group === undefined) groups.set(option.section, [option]);
    else group.push(option);
  }
  return [...groups];
}

/**
 * Serialise options to unit-file text: `[Section]\n` then `Name=Value\n` per option, sections
 * grouped in first-seen order, one blank line between sections and none after the last; an
 * empty list gives `''`. Values are written as they are (no escaping, no trimming).
 */
export function serializeUnitFile(options: readonly UnitOption[]): string {
  return groupBySection(options)
    .map(([section, group]) => `[${section}]\n${group.map((o) => `${o.name}=${o.value}\n`).join('')}`)
    .join('\n');
}
