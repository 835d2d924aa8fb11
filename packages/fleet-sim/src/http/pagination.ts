/**
 * fleet's page tokens (api/pagination.go): URL-safe base64 with padding of 4 bytes, little-endian
 * uint16 Limit then uint16 Page. Errors carry Go's messages.
 */
export interface PageToken {
  limit: number;
  page: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Encode a token (Limit, Page) the way fleet does. */
export function encodePageToken(token: PageToken): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16LE(token.limit & 0xffff, 0);
  bytes.writeUInt16LE(token.page & 0xffff, 2);
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Go's `base64.URLEncoding.DecodeString`, including its CorruptInputError offsets. */
export function decodeBase64Url(src: string): Buffer {
  const out: number[] = [];
  let si = 0;
  const corrupt = (at: number): never => {
    throw new Error(`illegal base64 data at input byte ${at}`);
  };
  while (si < src.length) {
    const quantum: number[] = [];
    let j = 0;
    let dlen = 4;
    for (j = 0; j < 4; ) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        corrupt(si - j);
      }
      const c = src[si]!;
      si++;
      if (c === '\n' || c === '\r') continue;
      if (c === '=') {
        if (j === 0 || j === 1) corrupt(si - 1);
        if (j === 2) {
          while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
          if (si === src.length) corrupt(src.length);
          if (src[si] !== '=') corrupt(si - 1);
          si++;
        }
        while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si < src.length) corrupt(si);
        dlen = j;
        break;
      }
      const v = DECODE.get(c);
      if (v === undefined) corrupt(si - 1);
      quantum[j] = v!;
      j++;
    }
    const [a = 0, b = 0, c = 0, d = 0] = quantum;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    const bytes = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    out.push(...bytes.slice(0, dlen === 4 ? 3 : dlen - 1));
    if (dlen < 4) break;
  }
  return Buffer.from(out);
}

/**
 * The token of a list request: undefined for the first page; throws with fleet's message
 * (`too many values for page token`, base64 errors, `EOF`, `token limit must be N`, page 0).
 */
export function readPageToken(values: string[], tokenLimit: number): PageToken | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new Error('too many values for page token');
  const bytes = decodeBase64Url(values[0]!);
  if (bytes.length === 0) throw new Error('EOF');
  if (bytes.length < 4) throw new Error('unexpected EOF');
  const token = { limit: bytes.readUInt16LE(0), page: bytes.readUInt16LE(2) };
  if (token.limit !== tokenLimit) throw new Error(`token limit must be ${tokenLimit}`);
  if (token.page === 0) throw new Error('token page must be greater than zero');
  return token;
}

/** Slice one page; a next token whenever Page*Limit <= total (so exact multiples end with `{}`). */
export function slicePage<T>(
  items: readonly T[],
  token: PageToken | undefined,
  tokenLimit: number,
): { items: T[]; next: string | undefined } {
  const t = token ?? { limit: tokenLimit, page: 1 };
  const start = (t.page - 1) * t.limit;
  const end = t.page * t.limit;
  const page = start < items.length ? items.slice(start, end) : [];
  const next = end <= items.length ? encodePageToken({ limit: t.limit, page: t.page + 1 }) : undefined;
  return { items: page, next };
}
