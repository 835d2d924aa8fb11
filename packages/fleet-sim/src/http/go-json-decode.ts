/**
 * A JSON reader that fails the way Go's `json.Decoder.Decode` does, so error bodies carry fleet's
 * exact messages: `EOF` for an empty body, `unexpected EOF` when cut short, the scanner's
 * `invalid character …` messages, and only the first value is read (trailing garbage is ignored).
 */
export type GoValue =
  | { t: 'object'; entries: [string, GoValue][] }
  | { t: 'array'; items: GoValue[] }
  | { t: 'string'; v: string }
  | { t: 'number'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

/** A decode failure with Go's message. */
export class GoJsonError extends Error {
  override name = 'GoJsonError';
}

/** How Go's scanner quotes a character in its messages. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c).slice(1, -1);
  return `'${q}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const HEX = /^[0-9a-fA-F]$/;

/** Decode the first JSON value of `text` (the rest is ignored, as Decoder.Decode does). */
export function decodeGoJson(text: string): GoValue {
  let i = 0;
  const eof = (): never => {
    throw new GoJsonError('unexpected EOF');
  };
  const bad = (c: string, context: string): never => {
    throw new GoJsonError(`invalid character ${quoteChar(c)} ${context}`);
  };
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const literal = (word: string, value: GoValue): GoValue => {
    for (let k = 1; k < word.length; k++) {
      const c = text[i + k];
      if (c === undefined) eof();
      if (c !== word[k]) bad(c!, `in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i += word.length;
    return value;
  };
  const string = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) return eof();
      if (c === '"') {
        i++;
        return out;
      }
      if (c < ' ') bad(c, 'in string literal');
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) return eof();
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e in simple) {
        out += simple[e];
        i += 2;
        continue;
      }
      if (e !== 'u') bad(e, 'in string escape code');
      let hex = '';
      for (let k = 0; k < 4; k++) {
        const h = text[i + 2 + k];
        if (h === undefined) return eof();
        if (!HEX.test(h)) bad(h, 'in \\u hexadecimal character escape');
        hex += h;
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
    }
  };
  const number = (): GoValue => {
    const start = i;
    const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
    if (text[i] === '-') {
      i++;
      if (text[i] === undefined) eof();
      if (!digit(text[i])) bad(text[i]!, 'in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (digit(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (text[i] === undefined) eof();
      if (!digit(text[i])) bad(text[i]!, 'after decimal point in numeric literal');
      while (digit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (text[i] === undefined) eof();
      if (!digit(text[i])) bad(text[i]!, 'in exponent of numeric literal');
      while (digit(text[i])) i++;
    }
    return { t: 'number', raw: text.slice(start, i) };
  };
  const value = (context: string): GoValue => {
    skip();
    const c = text[i];
    if (c === undefined) return eof();
    if (c === '{') {
      i++;
      const entries: [string, GoValue][] = [];
      skip();
      if (text[i] === '}') {
        i++;
        return { t: 'object', entries };
      }
      for (;;) {
        skip();
        const k = text[i];
        if (k === undefined) return eof();
        if (k !== '"') bad(k, 'looking for beginning of object key string');
        const key = string();
        skip();
        const colon = text[i];
        if (colon === undefined) return eof();
        if (colon !== ':') bad(colon, 'after object key');
        i++;
        entries.push([key, value('looking for beginning of value')]);
        skip();
        const next = text[i];
        if (next === undefined) return eof();
        i++;
        if (next === '}') return { t: 'object', entries };
        if (next !== ',') bad(next, 'after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const items: GoValue[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return { t: 'array', items };
      }
      for (;;) {
        items.push(value('looking for beginning of value'));
        skip();
        const next = text[i];
        if (next === undefined) return eof();
        i++;
        if (next === ']') return { t: 'array', items };
        if (next !== ',') bad(next, 'after array element');
      }
    }
    if (c === '"') return { t: 'string', v: string() };
    if (c === 't') return literal('true', { t: 'bool', v: true });
    if (c === 'f') return literal('false', { t: 'bool', v: false });
    if (c === 'n') return literal('null', { t: 'null' });
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return bad(c, context);
  };
  skip();
  if (i >= text.length) throw new GoJsonError('EOF');
  return value('looking for beginning of value');
}

/** Go's name for a JSON value's kind in UnmarshalTypeError messages. */
export function goKind(v: GoValue): string {
  return v.t;
}

/** Collects the first UnmarshalTypeError while decoding continues, as Go does. */
export class TypeErrors {
  first: string | undefined;
  add(v: GoValue, where: string, type: string): void {
    this.first ??= `json: cannot unmarshal ${goKind(v)} into ${where} of type ${type}`;
  }
}

/** Find a struct field the way encoding/json does: exact key first, else case-insensitive; last one wins. */
export function fieldsOf(
  entries: [string, GoValue][],
  names: readonly string[],
): Map<string, [string, GoValue][]> {
  const out = new Map<string, [string, GoValue][]>();
  for (const [key, v] of entries) {
    const name = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (!name) continue;
    let list = out.get(name);
    if (!list) {
      list = [];
      out.set(name, list);
    }
    list.push([key, v]);
  }
  return out;
}

/** Decode a string field: null leaves it unset; other kinds are type errors. */
export function stringField(v: GoValue, errors: TypeErrors, where: string): string | undefined {
  if (v.t === 'string') return v.v;
  if (v.t !== 'null') errors.add(v, where, 'string');
  return undefined;
}
