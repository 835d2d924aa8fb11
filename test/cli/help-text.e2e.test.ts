// Defect 11 (help text): every FLAGS block lines up (the GLOBAL FLAGS block's first row lost its
// indentation), prose wraps at the terminal's width and never at a line break in the source, and
// --progress-deadline says what the engine does, as the README does. Checked on every help text
// the build renders (dist/help-cache.json, which help-cache.e2e proves equal to oclif's output)
// and on oclif's own output at a wide terminal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIsBuilt, repoRoot, runCli } from './helpers/run-cli.js';

const cli = join(repoRoot, 'packages', 'cli');

function helpTexts(): Record<string, string> {
  const cache = JSON.parse(readFileSync(join(cli, 'dist', 'help-cache.json'), 'utf8')) as {
    texts: Record<string, string>;
  };
  return cache.texts;
}

/** Sections of a help text: heading → body lines. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^[A-Z][A-Z ]*$/.test(line)) {
      current = [];
      out.set(line, current);
    } else current?.push(line);
  }
  return out;
}

/** Every line break inside a DESCRIPTION paragraph is one the width forced. */
function expectSoftBreaks(key: string, text: string, width: number): void {
  const lines = sections(text).get('DESCRIPTION') ?? [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const [line, next] = [lines[i]!, lines[i + 1]!];
    if (line.trim() === '' || next.trim() === '') continue;
    const word = next.trim().split(/\s+/)[0]!;
    expect(line.length + 1 + word.length, `${key}: "${line}" / "${next}"`).toBeGreaterThan(width);
  }
}

const FLAG_ROW = /^ {2}(?:-\w, |\s{4})?--/;

describe.runIf(cliIsBuilt())('help text', () => {
  it('lines up every FLAGS block: each row puts its --name and its description in the same columns', () => {
    for (const [key, text] of Object.entries(helpTexts())) {
      for (const [heading, lines] of sections(text)) {
        if (!heading.endsWith('FLAGS')) continue;
        const rows = lines.filter((l) => FLAG_ROW.test(l));
        expect(rows.length, `${key} ${heading}`).toBeGreaterThan(0);
        const nameColumns = new Set(rows.map((l) => l.indexOf('--')));
        const descriptionColumns = new Set(rows.map((l) => /^\s*\S+(?:, \S+)?\s{2,}/.exec(l)![0].length));
        expect([...nameColumns], `${key} ${heading}: --name columns`).toHaveLength(1);
        expect(
          [...descriptionColumns],
          `${key} ${heading}: description columns\n${rows.join('\n')}`,
        ).toHaveLength(1);
      }
    }
  });

  it('breaks a DESCRIPTION paragraph only where the next word would not fit in 80 columns', () => {
    for (const [key, text] of Object.entries(helpTexts())) expectSoftBreaks(key, text, 80);
  });

  it('wraps prose at the terminal width (oclif at 200 columns), not at the source line breaks', async () => {
    for (const id of ['create', 'status', 'sim']) {
      const run = await runCli([id, '--help'], { env: { OCLIF_COLUMNS: '200' } });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^DESCRIPTION$/m);
      expectSoftBreaks(id, run.stdout, 200);
    }
  });

  it('--progress-deadline: help and README both say it is time without progress, as the engine does', () => {
    const help = helpTexts().create!.replace(/\s+/g, ' ');
    expect(help).toMatch(
      /--progress-deadline=DURATION \[env: FS_PROGRESS_DEADLINE\] fail when no step finishes for this long/,
    );
    expect(help).not.toMatch(/whole rollout \[default/);
    const readme = readFileSync(join(cli, 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `--progress-deadline'));
    expect(row).toMatch(/fail when no step finishes for this long/);
  });
});
