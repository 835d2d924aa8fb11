// Fenced code blocks of a Markdown file, with where they are: the README tests run them.
import { readFileSync } from 'node:fs';

/** One fenced block: ```lang word… on `line` (1-based), under the heading `section`. */
export interface CodeBlock {
  file: string;
  line: number;
  lang: string;
  /** The info string's words after the language (e.g. `check-only`). */
  tags: string[];
  section: string;
  code: string;
}

/** Every fenced (```) block of the Markdown file `file`. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const heading = /^#{1,6}\s+(.*)$/.exec(text);
    if (heading) section = heading[1] ?? '';
    const fence = /^```(\S*)\s*(.*)$/.exec(text);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^```\s*$/.test(lines[i] ?? '')) body.push(lines[i] ?? '');
    const [lang = '', rest = ''] = [fence[1], fence[2]];
    blocks.push({
      file,
      line: start + 1,
      lang,
      tags: rest.split(/\s+/).filter(Boolean),
      section,
      code: `${body.join('\n')}\n`,
    });
  }
  return blocks;
}

/** The first block in `section` (a heading's text) in language `lang`, tagged `tag` if given. */
export function blockIn(file: string, section: string, lang: string, tag?: string): CodeBlock {
  const block = codeBlocks(file).find(
    (b) => b.section === section && b.lang === lang && (tag === undefined || b.tags.includes(tag)),
  );
  if (!block) throw new Error(`${file}: no \`\`\`${lang} ${tag ?? ''} block under the heading "${section}"`);
  return block;
}
