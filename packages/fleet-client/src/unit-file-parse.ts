/**
 * Parse systemd unit-file text into UnitOptions with go-systemd's semantics (what fleetctl does
 * with a local unit file), but strict: anything go-systemd would silently skip or misread is
 * reported, every problem at once, with its line.
 */
import type { UnitOption } from './types.js';
import { type UnitFileProblem, UnitFileSyntaxError } from './unit-file-error.js';
import {
  goTrimSpace,
  isGoSpace,
  LINE_TOO_LONG_MESSAGE,
  SYSTEMD_LINE_MAX,
  UNTERMINATED_SECTION_MESSAGE,
} from './unit-file-go-lexer.js';

/** Options for {@link parseUnitFile}. */
export interface ParseUnitFileOptions {
  /**
   * Where the text came from, used in error messages (`web@.service:3: …`).
   * @default '<unit file>'
   */
  source?: string;
}

function trimStartGo(line: string): string {
  let i = 0;
  for (const char of line) {
    if (!isGoSpace(char)) break;
    i += char.length;
  }
  return line.slice(i);
}

/** go-systemd's end of a value: trimmed, but a kept continuation newline at the end stays. */
function finishValue(partial: string): string {
  return partial.endsWith('\n') ? `${goTrimSpace(partial)}\n` : goTrimSpace(partial);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * Parse unit-file text into an ordered list of UnitOptions.
 *
 * Syntax (go-systemd, as fleet and fleetctl read it): `[Section]` headers; `Name=Value` lines
 * with name and value trimmed; lines starting with `#` or `;` are comments (a comment ending in
 * `\` also swallows the next line); a value whose line ends in `\` continues on the next line
 * and keeps the backslash and the newline (`a \` + `  b` → `a \\\n  b`); a blank line ends a
 * continued value; repeated names are kept in order; `\r\n` line ends are accepted. An empty
 * text gives `[]`.
 *
 * @throws {UnitFileSyntaxError} listing every problem: an option before any section, a line
 * without `=`, a `[` without `]`, text after a section header, a line of 2048 bytes or more
 * (systemd's LINE_MAX counting the line break).
 */
export function parseUnitFile(text: string, opts: ParseUnitFileOptions = {}): UnitOption[] {
  const source = opts.source ?? '<unit file>';
  const problems: UnitFileProblem[] = [];
  const options: UnitOption[] = [];
  // A byte-order mark (editors on Windows write one) is skipped, as go-systemd skips anything
  // before the first `[`; line 1 still counts as line 1.
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  let section: string | undefined;
  let pending: { section: string | undefined; name: string; partial: string } | undefined;
  let commentContinues = false;

  const finish = () => {
    if (pending === undefined) return;
    if (pending.section !== undefined) {
      options.push({ section: pending.section, name: pending.name, value: finishValue(pending.partial) });
    }
    pending = undefined;
  };
  /** Feed one line of a value; returns whether the value continues. */
  const feedValue = (line: string, eof: boolean): void => {
    if (pending === undefined) return;
    if (goTrimSpace(line).length === 0) {
      finish();
      return;
    }
    pending.partial += line;
    if (line.endsWith('\\')) {
      if (!eof) pending.partial += '\n';
      return;
    }
    finish();
  };

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const eof = i === lines.length - 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes >= SYSTEMD_LINE_MAX) {
      problems.push({ line: lineNo, message: `${LINE_TOO_LONG_MESSAGE}: this line has ${bytes} bytes` });
    }
    if (pending !== undefined) {
      feedValue(line, eof);
      return;
    }
    if (commentContinues) {
      commentContinues = (line.endsWith(' ') ? line.slice(0, -1) : line).endsWith('\\');
      return;
    }
    const text = trimStartGo(line);
    if (text.length === 0) return;
    const first = text[0];
    if (first === '#' || first === ';') {
      commentContinues = (line.endsWith(' ') ? line.slice(0, -1) : line).endsWith('\\');
      return;
    }
    if (first === '[') {
      const close = text.indexOf(']');
      if (close === -1) {
        problems.push({
          line: lineNo,
          message: `${UNTERMINATED_SECTION_MESSAGE}: section header ${quote(text)} has no closing "]"`,
        });
        section = goTrimSpace(text.slice(1));
        return;
      }
      section = text.slice(1, close);
      const garbage = goTrimSpace(text.slice(close + 1));
      if (garbage.length > 0) {
        problems.push({
          line: lineNo,
          message: `found garbage after section name ${section}: ${quote(garbage)}`,
        });
      }
      return;
    }
    const eq = text.indexOf('=');
    if (eq === -1) {
      problems.push({ line: lineNo, message: `missing "=" in option line ${quote(text)}` });
      return;
    }
    const name = goTrimSpace(text.slice(0, eq));
    if (section === undefined) {
      problems.push({ line: lineNo, message: `option ${quote(name)} appears before any [section] header` });
    }
    pending = { section, name, partial: '' };
    feedValue(text.slice(eq + 1), eof);
  });
  finish();

  if (problems.length > 0) throw new UnitFileSyntaxError(source, problems);
  return options;
}
