import type { UnitOption } from '@fleet-service/fleet-client';
import { decodeGoJson, fieldsOf, type GoValue, stringField, TypeErrors } from './go-json-decode.js';

/** The fields of a PUT body fleet reads (`schema.Unit`); others are ignored. */
export interface UnitBody {
  name: string;
  desiredState: string;
  /** `undefined` for missing or null (both mean "no options"). */
  options: UnitOption[] | undefined;
}

/** Decode a PUT /units body; throws GoJsonError with Go's message (without fleet's prefix). */
export function decodeUnitBody(text: string): UnitBody {
  const v = decodeGoJson(text);
  const errors = new TypeErrors();
  const body: UnitBody = { name: '', desiredState: '', options: undefined };
  if (v.t === 'null') return body;
  if (v.t !== 'object') {
    errors.add(v, 'Go value', 'schema.Unit');
    throw new Error(errors.first);
  }
  const fields = fieldsOf(v.entries, ['currentState', 'desiredState', 'machineID', 'name', 'options']);
  for (const [field, list] of fields) {
    for (const [, value] of list) {
      if (field === 'options') {
        body.options = decodeOptions(value, errors);
        continue;
      }
      const s = stringField(value, errors, `Go struct field Unit.${field}`);
      if (s === undefined) continue;
      if (field === 'name') body.name = s;
      if (field === 'desiredState') body.desiredState = s;
    }
  }
  if (errors.first) throw new Error(errors.first);
  return body;
}

function decodeOptions(v: GoValue, errors: TypeErrors): UnitOption[] | undefined {
  if (v.t === 'null') return undefined;
  if (v.t !== 'array') {
    errors.add(v, 'Go struct field Unit.options', '[]*schema.UnitOption');
    return undefined;
  }
  const out: UnitOption[] = [];
  for (const item of v.items) {
    const option: UnitOption = { section: '', name: '', value: '' };
    if (item.t === 'object') {
      const fields = fieldsOf(item.entries, ['name', 'section', 'value']);
      for (const [field, list] of fields) {
        for (const [, value] of list) {
          const s = stringField(value, errors, `Go struct field UnitOption.${field}`);
          if (s !== undefined) option[field as keyof UnitOption] = s;
        }
      }
    } else if (item.t !== 'null') errors.add(item, 'Go struct field Unit.options', 'schema.UnitOption');
    out.push(option);
  }
  return out;
}

/** One PATCH /machines op as fleet's `machineMetadataOp` holds it. */
export interface MetadataOpBody {
  op: string;
  path: string;
  value: string;
}

/** Decode a PATCH /machines body; throws with Go's message. */
export function decodeMetadataOps(text: string): MetadataOpBody[] {
  const v = decodeGoJson(text);
  const errors = new TypeErrors();
  if (v.t === 'null') return [];
  if (v.t !== 'array') {
    errors.add(v, 'Go value', '[]api.machineMetadataOp');
    throw new Error(errors.first);
  }
  const ops: MetadataOpBody[] = [];
  for (const item of v.items) {
    const op: MetadataOpBody = { op: '', path: '', value: '' };
    if (item.t === 'object') {
      const fields = fieldsOf(item.entries, ['op', 'Path', 'Value']);
      for (const [field, list] of fields) {
        for (const [, value] of list) {
          if (field === 'Value') {
            if (value.t === 'object') {
              for (const [, inner] of fieldsOf(value.entries, ['Value']).get('Value') ?? []) {
                const s = stringField(inner, errors, 'Go struct field .Value');
                if (s !== undefined) op.value = s;
              }
            } else if (value.t !== 'null')
              errors.add(value, 'Go struct field machineMetadataOp.Value', 'struct { Value string }');
            continue;
          }
          const s = stringField(value, errors, `Go struct field machineMetadataOp.${field}`);
          if (s === undefined) continue;
          if (field === 'op') op.op = s;
          else op.path = s;
        }
      }
    } else if (item.t !== 'null') errors.add(item, 'Go value', 'api.machineMetadataOp');
    ops.push(op);
  }
  if (errors.first) throw new Error(errors.first);
  return ops;
}
