/**
 * A faithful port of the go-systemd `unit.Deserialize` lexer that fleet v1.0 vendors: the
 * reference for what fleet reads back from a serialised unit (§7.2 round trip, §7.3 etcd
 * re-parse). It stops at the first error with go-systemd's exact message. Quirks kept on
 * purpose: text before the first section is skipped, a section name may span lines, a
 * continued value keeps its backslash and newline, a comment ending in `\` swallows the next
 * line, `\r\n` leaves the `\r` on the line, and the 2048-byte line check runs only while
 * bufio holds 2048 bytes or more (so a long line far enough into a long text passes).
 */
import type { UnitOption } from './types.js';

/** go-systemd's SYSTEMD_LINE_MAX. */
export const SYSTEMD_LINE_MAX = 2048;
/** bufio's default buffer size, which go-systemd's lexer reads through. */
const BUFIO_SIZE = 4096;
/** utf8.UTFMax. */
const UTF_MAX = 4;
/** go-systemd's ErrLineTooLong message. */
export const LINE_TOO_LONG_MESSAGE = `line too long (max ${SYSTEMD_LINE_MAX} bytes)`;
/** go-systemd's message for a line break inside an option name (no `=` on the line). */
export const NEWLINE_IN_NAME_MESSAGE = 'unexpected newline encountered while parsing option name';
/** go-systemd's message for a `[` with no closing `]`. */
export const UNTERMINATED_SECTION_MESSAGE = 'unable to find end of section';

/** Go's unicode.IsSpace. */
export function isGoSpace(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Go's strings.TrimSpace. */
export function goTrimSpace(value: string): string {
  const chars = [...value];
  let start = 0;
  let end = chars.length;
  while (start < end && isGoSpace(chars[start]!)) start++;
  while (end > start && isGoSpace(chars[end - 1]!)) end--;
  return start === 0 && end === chars.length ? value : chars.slice(start, end).join('');
}

function utf8Width(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return char.length === 2 ? 4 : 3;
}

/** Go's `%v` of a byte slice: `[104 105]`. */
function goByteSlice(value: string): string {
  return `[${[...Buffer.from(value, 'utf8')].join(' ')}]`;
}

/** What the go-systemd lexer made of a text. */
export interface GoLexResult {
  options: UnitOption[];
  /** The error that stopped the lexer, with the 1-based line it was on. */
  error?: { message: string; line: number };
}

type Step =
  | { kind: 'nextSection' }
  | { kind: 'sectionName' }
  | { kind: 'sectionSuffix'; section: string }
  | { kind: 'ignoreLine'; next: Step }
  | { kind: 'sectionOrOption'; section: string }
  | { kind: 'optionName'; section: string }
  | { kind: 'optionValue'; section: string; name: string; partial: string };

class Lexer {
  private readonly chars: string[];
  /** bytesBefore[i] = UTF-8 bytes of chars[0..i). */
  private readonly bytesBefore: number[];
  /** nextBreak[i] = index of the first '\r' or '\n' at or after i (chars.length if none). */
  private readonly nextBreak: number[];
  /** linesBefore[i] = '\n' characters in chars[0..i). */
  private readonly linesBefore: number[];
  private pos = 0;
  /**
   * Byte offset just past what go-systemd's bufio.Reader holds: its `w`, with `pos` as its `r`.
   * The line-length check only runs while 2048 bytes or more are buffered, so this is tracked
   * read by read as bufio fills its 4096-byte buffer from the whole text.
   */
  private buffered = 0;
  private readonly total: number;
  readonly options: UnitOption[] = [];

  constructor(text: string) {
    this.chars = [...text];
    const n = this.chars.length;
    this.bytesBefore = new Array<number>(n + 1);
    this.bytesBefore[0] = 0;
    for (let i = 0; i < n; i++) this.bytesBefore[i + 1] = this.bytesBefore[i]! + utf8Width(this.chars[i]!);
    this.linesBefore = new Array<number>(n + 1);
    this.linesBefore[0] = 0;
    for (let i = 0; i < n; i++)
      this.linesBefore[i + 1] = this.linesBefore[i]! + (this.chars[i] === '\n' ? 1 : 0);
    this.total = this.bytesBefore[n]!;
    this.nextBreak = new Array<number>(n + 1);
    this.nextBreak[n] = n;
    for (let i = n - 1; i >= 0; i--) {
      const c = this.chars[i];
      this.nextBreak[i] = c === '\n' || c === '\r' ? i : this.nextBreak[i + 1]!;
    }
  }

  /** 1-based line of the current position. */
  line(): number {
    return this.linesBefore[Math.min(this.pos, this.chars.length)]! + 1;
  }

  /**
   * go-systemd's per-step check: when 2048 bytes or more are buffered, the next 2048 hold a line
   * break. (With less buffered it checks nothing, so a long line further into a long text can pass.)
   */
  lineTooLong(): boolean {
    const at = this.bytesBefore[this.pos]!;
    if (this.buffered - at < SYSTEMD_LINE_MAX) return false;
    return this.bytesBefore[this.nextBreak[this.pos]!]! - at >= SYSTEMD_LINE_MAX;
  }

  /** bufio.fill with `r` at byte `r`: slide the buffered bytes to the front, read into the rest. */
  private fill(r: number): void {
    this.buffered = Math.min(this.total, this.buffered + BUFIO_SIZE - (this.buffered - r));
  }

  /** bufio.ReadRune: fills while fewer than 4 bytes are buffered and they are not a whole rune. */
  private readRune(): string | undefined {
    const r = this.bytesBefore[this.pos]!;
    while (
      this.buffered - r < UTF_MAX &&
      (this.pos >= this.chars.length || utf8Width(this.chars[this.pos]!) > this.buffered - r) &&
      this.buffered < this.total
    ) {
      this.fill(r);
    }
    return this.chars[this.pos++];
  }

  /**
   * bufio.ReadBytes(delim), filling as ReadSlice does: moves past `delim`, or to the end of the
   * text; returns whether `delim` was found.
   */
  private readBytes(delim: string): boolean {
    let at = this.pos;
    while (at < this.chars.length && this.chars[at] !== delim) at++;
    const target = at < this.chars.length ? this.bytesBefore[at]! : Number.POSITIVE_INFINITY;
    let r = this.bytesBefore[this.pos]!;
    while (target >= this.buffered && this.buffered < this.total) {
      if (this.buffered - r >= BUFIO_SIZE) r = this.buffered; // ErrBufferFull: a fragment is taken
      this.fill(r);
    }
    this.pos = at < this.chars.length ? at + 1 : at;
    return at < this.chars.length;
  }

  /** bufio ReadBytes('\n') minus one trailing '\r' then one '\n' (in that order, as go-systemd). */
  private toEOL(): { line: string; eof: boolean } {
    const start = this.pos;
    const eof = !this.readBytes('\n');
    let line = this.chars.slice(start, this.pos).join('');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.endsWith('\n')) line = line.slice(0, -1);
    return { line, eof };
  }

  /** Run one step: the next step, `undefined` at the end, or an error message. */
  step(s: Step): Step | undefined | string {
    switch (s.kind) {
      case 'nextSection': {
        const r = this.readRune();
        if (r === undefined) return undefined;
        if (r === '[') return { kind: 'sectionName' };
        if (r === '#' || r === ';') return { kind: 'ignoreLine', next: s };
        return s;
      }
      case 'sectionName': {
        const start = this.pos;
        if (!this.readBytes(']')) return UNTERMINATED_SECTION_MESSAGE;
        return { kind: 'sectionSuffix', section: this.chars.slice(start, this.pos - 1).join('') };
      }
      case 'sectionSuffix': {
        const garbage = goTrimSpace(this.toEOL().line);
        // go-systemd formats its never-set lexer.section field here, hence the empty name.
        if (garbage.length > 0) return `found garbage after section name : ${goByteSlice(garbage)}`;
        return { kind: 'sectionOrOption', section: s.section };
      }
      case 'ignoreLine': {
        for (;;) {
          let { line } = this.toEOL();
          if (line.endsWith(' ')) line = line.slice(0, -1);
          if (!line.endsWith('\\')) break;
        }
        return s.next;
      }
      case 'sectionOrOption': {
        const r = this.readRune();
        if (r === undefined) return undefined;
        if (isGoSpace(r)) return s;
        if (r === '[') return { kind: 'sectionName' };
        if (r === '#' || r === ';') return { kind: 'ignoreLine', next: s };
        this.pos--;
        return { kind: 'optionName', section: s.section };
      }
      case 'optionName': {
        let partial = '';
        for (;;) {
          const r = this.readRune();
          if (r === undefined) return 'EOF';
          if (r === '\n' || r === '\r') return NEWLINE_IN_NAME_MESSAGE;
          if (r === '=') break;
          partial += r;
        }
        return { kind: 'optionValue', section: s.section, name: goTrimSpace(partial), partial: '' };
      }
      case 'optionValue': {
        const { line, eof } = this.toEOL();
        let partial = s.partial;
        if (goTrimSpace(line).length > 0) {
          partial += line;
          if (line.endsWith('\\')) {
            if (!eof) partial += '\n';
            return { ...s, partial };
          }
        }
        const value = partial.endsWith('\n') ? `${goTrimSpace(partial)}\n` : goTrimSpace(partial);
        this.options.push({ section: s.section, name: s.name, value });
        return { kind: 'sectionOrOption', section: s.section };
      }
    }
  }
}

/**
 * Read unit-file text exactly as fleet's go-systemd does, stopping at the first error, including
 * when its line-length check runs: only while its bufio.Reader (4096 bytes, filled from the whole
 * text) holds 2048 bytes or more.
 */
export function goSystemdDeserialize(text: string): GoLexResult {
  const lexer = new Lexer(text);
  let step: Step | undefined = { kind: 'nextSection' };
  while (step !== undefined) {
    if (lexer.lineTooLong()) {
      return { options: lexer.options, error: { message: LINE_TOO_LONG_MESSAGE, line: lexer.line() } };
    }
    const line = lexer.line();
    const next: Step | undefined | string = lexer.step(step);
    if (typeof next === 'string') {
      return { options: lexer.options, error: { message: next, line } };
    }
    step = next;
  }
  return { options: lexer.options };
}
