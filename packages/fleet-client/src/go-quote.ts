/**
 * Go's `%q` formatting, so messages can be spelled exactly as fleet spells them
 * (`invalid character ' ' in unit name`, `invalid unit type: "foo"`).
 */

function isGoPrintable(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  // Letters, marks, numbers, punctuation, symbols and the ASCII space are printable in Go;
  // other separators (U+2028, U+00A0, ...) and format characters are not.
  if (cp === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

function escapeCodePoint(cp: number, quote: "'" | '"'): string {
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
    case 0x5c:
      return '\\\\';
  }
  if (cp === quote.codePointAt(0)) return `\\${quote}`;
  if (isGoPrintable(cp)) return String.fromCodePoint(cp);
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's `fmt.Sprintf("%q", r)` for one rune (a lone surrogate is shown as U+FFFD, as Go decodes it). */
export function goQuoteRune(char: string): string {
  let cp = char.codePointAt(0) ?? 0xfffd;
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  return `'${escapeCodePoint(cp, "'")}'`;
}

/** Go's `fmt.Sprintf("%q", s)` for a string. */
export function goQuoteString(value: string): string {
  let out = '"';
  for (const char of value) {
    let cp = char.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out += escapeCodePoint(cp, '"');
  }
  return `${out}"`;
}
