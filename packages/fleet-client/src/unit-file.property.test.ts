import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unitHash } from './hash.js';
import type { UnitOption } from './types.js';
import { goSystemdDeserialize } from './unit-file-go-lexer.js';
import { normalizeUnitOptions } from './unit-file-normalize.js';
import { parseUnitFile } from './unit-file-parse.js';
import { serializeUnitFile } from './unit-file-serialize.js';
import { validateUnitOptions } from './validate-options.js';

/** Number of generated cases per property; raise for a soak run. */
const RUNS = Number(process.env.FLEET_CLIENT_PROPERTY_RUNS ?? 200);

const word = (chars: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(''));
const section = fc.constantFrom('Unit', 'Service', 'X-Fleet', 'Install', 'Socket', 'X-Custom');
const name = fc.tuple(word('ABCabcXYZ', 1, 1), word('ABCabcxyz019_-. ', 0, 12)).map(([a, b]) => a + b);
const value = fc.oneof(
  word('abc xyz=#;"\t[]%@*/\\-', 0, 40),
  fc.tuple(word('abc ', 0, 10), word('abc ', 0, 10)).map(([a, b]) => `${a} \\\n  ${b}`),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' ')),
);
const options = fc.array(
  fc.record({ section, name, value }).map((o): UnitOption => o),
  { maxLength: 12 },
);

describe('unit-file properties', () => {
  it('parse(serialize(normalize(o))) == normalize(o), and both parsers agree', () => {
    fc.assert(
      fc.property(options, (opts) => {
        const normal = normalizeUnitOptions(opts);
        const text = serializeUnitFile(normal);
        expect(parseUnitFile(text)).toEqual(normal);
        expect(goSystemdDeserialize(text)).toEqual({ options: normal });
      }),
      { numRuns: RUNS },
    );
  });

  it('normalisation is idempotent and keeps the hash of what fleet would store', () => {
    fc.assert(
      fc.property(options, (opts) => {
        const once = normalizeUnitOptions(opts);
        expect(normalizeUnitOptions(once)).toEqual(once);
        expect(unitHash(normalizeUnitOptions(once))).toBe(unitHash(once));
      }),
      { numRuns: RUNS },
    );
  });

  it('options without line breaks and short lines pass the round-trip validation', () => {
    fc.assert(
      fc.property(options, (opts) => {
        const flat = opts.map((o) => ({ ...o, value: o.value.replaceAll('\n', ' ') }));
        expect(validateUnitOptions(flat.filter((o) => o.section !== 'X-Fleet'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
