import type { UnitOption } from '@fleet-service/fleet-client';
import { goString } from '../http/go-json-encode.js';

/** `[{"name","section","value"}...]` with empty fields left out (omitempty), or '' for no options. */
export function optionsJson(options: readonly UnitOption[]): string {
  if (options.length === 0) return '';
  const parts: string[] = [];
  for (const o of options) {
    const fields: string[] = [];
    if (o.name) fields.push(`"name":${goString(o.name)}`);
    if (o.section) fields.push(`"section":${goString(o.section)}`);
    if (o.value) fields.push(`"value":${goString(o.value)}`);
    parts.push(`{${fields.join(',')}}`);
  }
  return `[${parts.join(',')}]`;
}

/** A Unit object in fleet's key order: currentState, desiredState, machineID, name, options. */
export function unitJson(
  name: string,
  currentState: string | undefined,
  desiredState: string,
  machineID: string | undefined,
  options: string,
): string {
  let s = '{';
  if (currentState) s += `"currentState":${goString(currentState)},`;
  if (desiredState) s += `"desiredState":${goString(desiredState)},`;
  if (machineID) s += `"machineID":${goString(machineID)},`;
  s += `"name":${goString(name)}`;
  if (options) s += `,"options":${options}`;
  return `${s}}`;
}

/** A UnitState in fleet's key order: hash, machineID, name, systemdActiveState, systemdLoadState, systemdSubState. */
export function unitStateJson(s: {
  hash: string;
  machineID: string;
  name: string;
  active: string;
  load: string;
  sub: string;
}): string {
  const fields: string[] = [];
  if (s.hash) fields.push(`"hash":${goString(s.hash)}`);
  if (s.machineID) fields.push(`"machineID":${goString(s.machineID)}`);
  if (s.name) fields.push(`"name":${goString(s.name)}`);
  if (s.active) fields.push(`"systemdActiveState":${goString(s.active)}`);
  if (s.load) fields.push(`"systemdLoadState":${goString(s.load)}`);
  if (s.sub) fields.push(`"systemdSubState":${goString(s.sub)}`);
  return `{${fields.join(',')}}`;
}

/** A Machine in fleet's key order: id, metadata (keys sorted like Go maps), primaryIP. */
export function machineJson(id: string, metadata: ReadonlyMap<string, string>, primaryIP: string): string {
  const fields: string[] = [];
  if (id) fields.push(`"id":${goString(id)}`);
  if (metadata.size > 0) {
    const keys = [...metadata.keys()].sort(byteCompare);
    fields.push(`"metadata":{${keys.map((k) => `${goString(k)}:${goString(metadata.get(k)!)}`).join(',')}}`);
  }
  if (primaryIP) fields.push(`"primaryIP":${goString(primaryIP)}`);
  return `{${fields.join(',')}}`;
}

/** Go's string order (bytes; equal to UTF-16 order for the BMP names fleet allows). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
