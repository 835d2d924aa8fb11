/**
 * coco-fleet-deployer's rules for an entry, kept: a name with `@` and `count > 0` is a template
 * service (instances 1..count); `count: 0` (or none) without `@` is a plain unit; anything else is
 * refused with the reason. `S-sidekick@.service` listed beside `S@.service` is S's sidekick.
 */
import { parseUnitName, validateServiceName, validateUnitName } from '@fleet-service/fleet-client';
import { reservedUnitOwner } from '@fleet-service/rollout';

const isReservedServiceName = (service: string) => reservedUnitOwner(`${service}.service`) !== undefined;

export interface EntryShape {
  kind: 'template' | 'plain';
  service: string;
}

/** What the entry is, or why it is refused. */
export function classifyEntry(name: string, count: number | undefined): EntryShape | { problem: string } {
  const bad = validateUnitName(name);
  if (bad) return { problem: `invalid unit name "${name}": ${bad}` };
  const parts = parseUnitName(name);
  const n = count ?? 0;
  if (name.includes('@')) {
    if (!parts.isTemplate)
      return {
        problem: `"${name}" names one instance; list the template (${parts.prefix}@.${parts.type}) with a count`,
      };
    if (n < 1)
      return { problem: `template "${name}" needs count ≥ 1 (count ${n}: coco skipped such entries)` };
    if (parts.type !== 'service')
      return { problem: `template "${name}": only .service templates are rolled out` };
    const problem = validateServiceName(parts.prefix);
    if (problem) return { problem };
    if (isReservedServiceName(parts.prefix))
      return { problem: `"${name}" uses a name reserved for fs's own units` };
    return { kind: 'template', service: parts.prefix };
  }
  if (n > 0)
    return {
      problem: `"${name}" has count ${n} but is not a template (name it ${parts.prefix}@.${parts.type})`,
    };
  const service = parts.type === 'service' ? parts.prefix : name;
  if (isReservedServiceName(service)) return { problem: `"${name}" uses a name reserved for fs's own units` };
  return { kind: 'plain', service };
}

/** The service a sidekick belongs to: `web` for `web-sidekick`; undefined when not a sidekick name. */
export function sidekickOf(service: string): string | undefined {
  const m = /^(.+)-sidekick$/.exec(service);
  return m?.[1];
}
