/**
 * Decoding of fleet's 200 bodies. Every field is `omitempty`, so absent fields are fine (an empty
 * page is `{}`); what is present must have the right type, otherwise the answer is not fleet's and
 * a FleetBadResponseError says so.
 */

import { badResponse } from './http-response-errors.js';
import type { TransportResponse } from './transport.js';
import type { JobState, Machine, Unit, UnitOption, UnitState } from './types.js';

/** One decoded page: its items and the token for the next page (`undefined` or `""` on the last). */
export interface DecodedPage<T> {
  items: T[];
  nextPageToken: string | undefined;
}

class ShapeError extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Json, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${where}.${key} is not a string`);
  return value;
}

function optionalArray(object: Json, key: string, where: string): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${where}.${key} is not an array`);
  return value;
}

function setIfPresent<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function decodeOption(value: unknown, where: string): UnitOption {
  if (!isObject(value)) throw new ShapeError(`${where} is not an object`);
  return {
    section: optionalString(value, 'section', where) ?? '',
    name: optionalString(value, 'name', where) ?? '',
    value: optionalString(value, 'value', where) ?? '',
  };
}

function decodeUnitObject(value: unknown, where: string): Unit {
  if (!isObject(value)) throw new ShapeError(`${where} is not an object`);
  const name = optionalString(value, 'name', where);
  if (name === undefined || name === '') throw new ShapeError(`${where} has no name`);
  const unit: Unit = { name };
  if (value.options !== undefined && value.options !== null) {
    unit.options = optionalArray(value, 'options', where).map((o, i) =>
      decodeOption(o, `${where}.options[${i}]`),
    );
  }
  // fleet echoes whatever desiredState was stored; keep the string as sent.
  setIfPresent(unit, 'desiredState', optionalString(value, 'desiredState', where) as JobState | undefined);
  setIfPresent(unit, 'currentState', optionalString(value, 'currentState', where) as JobState | undefined);
  setIfPresent(unit, 'machineID', optionalString(value, 'machineID', where));
  return unit;
}

function decodeStateObject(value: unknown, where: string): UnitState {
  if (!isObject(value)) throw new ShapeError(`${where} is not an object`);
  const state: UnitState = {};
  for (const key of [
    'name',
    'hash',
    'machineID',
    'systemdLoadState',
    'systemdActiveState',
    'systemdSubState',
  ] as const) {
    setIfPresent(state, key, optionalString(value, key, where));
  }
  return state;
}

function decodeMachineObject(value: unknown, where: string): Machine {
  if (!isObject(value)) throw new ShapeError(`${where} is not an object`);
  const machine: Machine = {};
  setIfPresent(machine, 'id', optionalString(value, 'id', where));
  setIfPresent(machine, 'primaryIP', optionalString(value, 'primaryIP', where));
  const metadata = value.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata)) throw new ShapeError(`${where}.metadata is not an object`);
    const copy: Record<string, string> = {};
    for (const [key, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ShapeError(`${where}.metadata.${key} is not a string`);
      copy[key] = v;
    }
    machine.metadata = copy;
  }
  return machine;
}

function parseJson(response: TransportResponse): unknown {
  if (response.body.trim() === '') throw badResponse(response, 'expected a JSON body, got an empty body');
  try {
    return JSON.parse(response.body);
  } catch (cause) {
    const start = response.body.slice(0, 60);
    throw badResponse(response, `the body is not JSON (starts with ${JSON.stringify(start)})`, { cause });
  }
}

function decodeWith<T>(response: TransportResponse, decode: (json: unknown) => T): T {
  const json = parseJson(response);
  try {
    return decode(json);
  } catch (error) {
    if (error instanceof ShapeError) throw badResponse(response, `unexpected shape: ${error.message}`);
    throw error;
  }
}

function pageDecoder<T>(
  key: string,
  item: (value: unknown, where: string) => T,
): (response: TransportResponse) => DecodedPage<T> {
  return (response) =>
    decodeWith(response, (json) => {
      if (!isObject(json)) throw new ShapeError('the page is not an object');
      const items = optionalArray(json, key, 'page').map((value, i) => item(value, `${key}[${i}]`));
      return { items, nextPageToken: optionalString(json, 'nextPageToken', 'page') };
    });
}

/** Decodes a UnitPage (`{}` → no units). */
export const decodeUnitPage = pageDecoder('units', decodeUnitObject);
/** Decodes a UnitStatePage (`{}` → no states). */
export const decodeUnitStatePage = pageDecoder('states', decodeStateObject);
/** Decodes a MachinePage (`{}` → no machines). */
export const decodeMachinePage = pageDecoder('machines', decodeMachineObject);

/** Decodes the Unit of `GET /units/{name}`. */
export function decodeUnit(response: TransportResponse): Unit {
  return decodeWith(response, (json) => decodeUnitObject(json, 'unit'));
}
