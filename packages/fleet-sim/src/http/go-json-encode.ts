/**
 * JSON as Go's encoding/json writes it: compact, keys in struct order (the callers build objects in
 * that order), `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX / \u20XX, and \b \f written as
 * \u0008 \u000c (Go of fleet v1.0's era has no short forms for them).
 */
export function goJson(value: unknown): string {
  return goEscape(JSON.stringify(value));
}

const NEEDS_FIX = /[<>&\u2028\u2029]|\\[bf]/;

/** Rewrite JSON.stringify output into Go's escaping. */
export function goEscape(json: string): string {
  if (!NEEDS_FIX.test(json)) return json;
  return json.replace(/\\(.)|[<>&\u2028\u2029]/g, (match: string, escaped: string | undefined) => {
    if (escaped !== undefined) {
      if (escaped === 'b') return '\\u0008';
      if (escaped === 'f') return '\\u000c';
      return match;
    }
    return `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A JSON string literal in Go's escaping. */
export function goString(value: string): string {
  return goEscape(JSON.stringify(value));
}
