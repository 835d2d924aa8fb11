/**
 * Go's `path.Match`, which fleet uses for `Conflicts=` and `Replaces=` globs. Works on UTF-8
 * bytes exactly as Go does: `*` matches any run of non-`/` bytes, `?` one non-`/` character,
 * `[...]` a character class (ranges `a-z`, negation `[^...]`), `\` escapes the next character.
 */

const encoder = new TextEncoder();
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const RUNE_ERROR = 0xfffd;

class BadPattern extends Error {}

/** Go's utf8.DecodeRune: the rune at `i` and its width; invalid UTF-8 gives (U+FFFD, 1). */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i];
  if (c0 === undefined) return [RUNE_ERROR, 0];
  if (c0 < 0x80) return [c0, 1];
  const cont = (k: number): number | undefined => {
    const c = b[i + k];
    return c !== undefined && (c & 0xc0) === 0x80 ? c & 0x3f : undefined;
  };
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    return c1 === undefined ? [RUNE_ERROR, 1] : [((c0 & 0x1f) << 6) | c1, 2];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    if (c1 === undefined || c2 === undefined) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x0f) << 12) | (c1 << 6) | c2;
    if (r < 0x800 || (r >= 0xd800 && r <= 0xdfff)) return [RUNE_ERROR, 1];
    return [r, 3];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    if (c1 === undefined || c2 === undefined || c3 === undefined) return [RUNE_ERROR, 1];
    const r = ((c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10ffff) return [RUNE_ERROR, 1];
    return [r, 4];
  }
  return [RUNE_ERROR, 1];
}

/** Split off the next `*`-run and the literal chunk after it (Go's scanChunk). */
function scanChunk(p: Uint8Array, start: number): { star: boolean; chunkStart: number; chunkEnd: number } {
  let i = start;
  let star = false;
  while (i < p.length && p[i] === STAR) {
    i++;
    star = true;
  }
  const chunkStart = i;
  let inRange = false;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === BACKSLASH) {
      if (i + 1 < p.length) i++;
    } else if (c === LBRACKET) {
      inRange = true;
    } else if (c === RBRACKET) {
      inRange = false;
    } else if (c === STAR && !inRange) {
      break;
    }
  }
  return { star, chunkStart, chunkEnd: i };
}

/** One (possibly escaped) character of a class; throws BadPattern as Go's getEsc errs. */
function getEsc(p: Uint8Array, i: number, end: number): [number, number] {
  if (i >= end || p[i] === DASH || p[i] === RBRACKET) throw new BadPattern();
  if (p[i] === BACKSLASH) {
    i++;
    if (i >= end) throw new BadPattern();
  }
  const [r, n] = decodeRune(p.subarray(0, end), i);
  if (r === RUNE_ERROR && n === 1) throw new BadPattern();
  if (i + n >= end) throw new BadPattern();
  return [r, i + n];
}

/**
 * Match chunk `p[cs..ce)` against the start of `s[si..]`; the new position in `s`, or -1.
 * Keeps checking the chunk's syntax after a mismatch, as Go does.
 */
function matchChunk(p: Uint8Array, cs: number, ce: number, s: Uint8Array, si: number): number {
  let failed = false;
  let c = cs;
  while (c < ce) {
    if (!failed && si >= s.length) failed = true;
    const ch = p[c];
    if (ch === LBRACKET) {
      let r = 0;
      if (!failed) {
        const [rr, n] = decodeRune(s, si);
        r = rr;
        si += n;
      }
      c++;
      let negated = false;
      if (c < ce && p[c] === CARET) {
        negated = true;
        c++;
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (c < ce && p[c] === RBRACKET && nrange > 0) {
          c++;
          break;
        }
        const [lo, afterLo] = getEsc(p, c, ce);
        c = afterLo;
        let hi = lo;
        if (p[c] === DASH) {
          const [h, afterHi] = getEsc(p, c + 1, ce);
          hi = h;
          c = afterHi;
        }
        if (lo <= r && r <= hi) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (ch === QUESTION) {
      if (!failed) {
        if (s[si] === SLASH) failed = true;
        const [, n] = decodeRune(s, si);
        si += n;
      }
      c++;
    } else {
      if (ch === BACKSLASH) {
        c++;
        if (c >= ce) throw new BadPattern();
      }
      if (!failed) {
        if (p[c] !== s[si]) failed = true;
        si++;
      }
      c++;
    }
  }
  return failed ? -1 : si;
}

function match(p: Uint8Array, s: Uint8Array): boolean {
  let pi = 0;
  let si = 0;
  pattern: while (pi < p.length) {
    const { star, chunkStart, chunkEnd } = scanChunk(p, pi);
    pi = chunkEnd;
    if (star && chunkStart === chunkEnd) return s.indexOf(SLASH, si) < 0;
    const t = matchChunk(p, chunkStart, chunkEnd, s, si);
    if (t >= 0 && (t === s.length || pi < p.length)) {
      si = t;
      continue;
    }
    if (star) {
      for (let i = si; i < s.length && s[i] !== SLASH; i++) {
        const t2 = matchChunk(p, chunkStart, chunkEnd, s, i + 1);
        if (t2 >= 0) {
          if (pi === p.length && t2 < s.length) continue;
          si = t2;
          continue pattern;
        }
      }
    }
    // Before answering "no", make sure the rest of the pattern is well-formed.
    while (pi < p.length) {
      const next = scanChunk(p, pi);
      pi = next.chunkEnd;
      matchChunk(p, next.chunkStart, next.chunkEnd, new Uint8Array(0), 0);
    }
    return false;
  }
  return si === s.length;
}

/**
 * Does `name` match the glob `pattern` under Go's `path.Match` rules? A malformed pattern
 * (Go's `ErrBadPattern`, e.g. `[`, `[]a]`, `a\`) never matches.
 */
export function pathMatch(pattern: string, name: string): boolean {
  try {
    return match(encoder.encode(pattern), encoder.encode(name));
  } catch (error) {
    if (error instanceof BadPattern) return false;
    throw error;
  }
}

/** `true` when `pattern` is a well-formed Go `path.Match` pattern. */
export function isValidPathPattern(pattern: string): boolean {
  try {
    match(encoder.encode(pattern), new Uint8Array(0));
    return true;
  } catch (error) {
    if (error instanceof BadPattern) return false;
    throw error;
  }
}
