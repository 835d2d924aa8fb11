import { describe, expect, it } from 'vitest';
import { decodeGoJson } from './go-json-decode.js';
import { goJson } from './go-json-encode.js';
import { decodeMetadataOps, decodeUnitBody } from './request-bodies.js';

const message = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('Go-compatible JSON', () => {
  it('encodes like encoding/json (HTML-safe escapes, no short \\b \\f)', () => {
    expect(goJson({ v: 'a && b <c> \b\f\n' })).toBe(
      '{"v":"a \\u0026\\u0026 b \\u003cc\\u003e \\u0008\\u000c\\n"}',
    );
    expect(goJson({ v: 'back\\bslash' })).toBe('{"v":"back\\\\bslash"}');
  });

  it('decodes with Go’s scanner messages', () => {
    expect(message(() => decodeGoJson(' '))).toBe('EOF');
    expect(message(() => decodeGoJson('{"a": [1,'))).toBe('unexpected EOF');
    expect(message(() => decodeGoJson('nul!'))).toBe("invalid character '!' in literal null (expecting 'l')");
    expect(message(() => decodeGoJson('{"a" 1}'))).toBe("invalid character '1' after object key");
    expect(message(() => decodeGoJson('{"a":1 x'))).toBe("invalid character 'x' after object key:value pair");
    expect(message(() => decodeGoJson('[1 2]'))).toBe("invalid character '2' after array element");
    expect(message(() => decodeGoJson('{1:2}'))).toBe(
      "invalid character '1' looking for beginning of object key string",
    );
    expect(message(() => decodeGoJson('?'))).toBe("invalid character '?' looking for beginning of value");
    expect(message(() => decodeGoJson('"a\nb"'))).toBe("invalid character '\\n' in string literal");
    expect(decodeGoJson('{"a":"\\u0041"} trailing')).toEqual({
      t: 'object',
      entries: [['a', { t: 'string', v: 'A' }]],
    });
  });

  it('maps a Unit like schema.Unit: case-insensitive keys, null options, type errors', () => {
    expect(decodeUnitBody('{"DesiredState":"launched","Options":null,"NAME":"x.service"}')).toEqual({
      name: 'x.service',
      desiredState: 'launched',
      options: undefined,
    });
    expect(decodeUnitBody('null')).toEqual({ name: '', desiredState: '', options: undefined });
    expect(message(() => decodeUnitBody('{"options":"x"}'))).toBe(
      'json: cannot unmarshal string into Go struct field Unit.options of type []*schema.UnitOption',
    );
    expect(decodeUnitBody('{"options":[{"section":"S","name":"N","value":"V"},{}]}').options).toEqual([
      { section: 'S', name: 'N', value: 'V' },
      { section: '', name: '', value: '' },
    ]);
  });

  it('maps PATCH ops like []api.machineMetadataOp', () => {
    expect(decodeMetadataOps('[{"op":"add","path":"/m/metadata/k","Value":{"value":"v"}}]')).toEqual([
      { op: 'add', path: '/m/metadata/k', value: 'v' },
    ]);
    expect(message(() => decodeMetadataOps('[{"op":"add","path":"/m/metadata/k","value":"v"}]'))).toBe(
      'json: cannot unmarshal string into Go struct field machineMetadataOp.Value of type struct { Value string }',
    );
    expect(decodeMetadataOps('null')).toEqual([]);
  });
});
