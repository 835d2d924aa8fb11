// The TypeScript/JavaScript blocks of the root README and every package README, each written as a
// module into a temporary consumer project (its node_modules links `@fleet-service/*` to the
// built packages and `@types/node`, so imports resolve as a consumer's do: `types`/`default`, no
// source condition), type-checked together by one strict tsc run, and runnable from its out/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type CodeBlock, codeBlocks } from '../helpers/markdown-blocks.js';
import { tscPath, writeStrictTsconfig } from '../helpers/strict-consumer.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const workDir = mkdtempSync(join(tmpdir(), 'fs-readme-blocks-'));
const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

export interface ReadmeBlock extends CodeBlock {
  /** `<file relative to the repo>#<section>`, `#2`… for later blocks of the same section. */
  key: string;
  /** The module it is compiled from (in .work) and the one that runs (in .work/out). */
  source: string;
  output: string;
}

/** Every code block of README.md and packages/*\/README.md. */
export function readmeBlocks(): ReadmeBlock[] {
  const files = [
    join(repoRoot, 'README.md'),
    ...readdirSync(join(repoRoot, 'packages')).map((p) => join(repoRoot, 'packages', p, 'README.md')),
  ];
  const blocks: ReadmeBlock[] = [];
  const seen = new Map<string, number>();
  for (const file of files) {
    for (const block of codeBlocks(file).filter((b) => CODE.has(b.lang))) {
      const base = `${relative(repoRoot, file)}#${block.section}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const key = n === 1 ? base : `${base}#${n}`;
      const slug = key.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const ext = block.lang.startsWith('j') || block.lang === 'mjs' ? 'js' : 'ts';
      blocks.push({
        ...block,
        key,
        source: join(workDir, `${slug}.${ext}`),
        output: join(workDir, 'out', `${slug}.js`),
      });
    }
  }
  return blocks;
}

/**
 * Writes every block as a module and type-checks them all as a strict consumer would
 * (`strict`, `skipLibCheck: false`, `@types/node` as the READMEs say to install); returns the
 * diagnostics per source file (empty: compiles). Emits .work/out/*.js even with errors.
 */
export function compileBlocks(blocks: ReadmeBlock[]): Map<string, string[]> {
  linkConsumerModules();
  writeFileSync(
    join(workDir, 'package.json'),
    '{ "name": "readme-blocks", "private": true, "type": "module" }\n',
  );
  for (const b of blocks) writeFileSync(b.source, `${b.code}export {};\n`);
  writeStrictTsconfig(workDir, ['*.ts', '*.js'], { allowJs: true, checkJs: true });
  let output = '';
  try {
    execFileSync(process.execPath, [tscPath, '-p', '.', '--pretty', 'false'], {
      cwd: workDir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const byFile = new Map<string, string[]>(blocks.map((b) => [b.source, []]));
  for (const line of output.split('\n').filter(Boolean)) {
    const file = /^(.+?)\(\d+,\d+\)/.exec(line)?.[1];
    const block = file && blocks.find((b) => b.source === join(workDir, file));
    if (block) byFile.get(block.source)?.push(line);
    else for (const list of byFile.values()) list.push(line); // a global error: every block fails
  }
  return byFile;
}

/** node_modules of the consumer project: the workspace packages and @types/node, as links. */
function linkConsumerModules(): void {
  const scope = join(workDir, 'node_modules', '@fleet-service');
  mkdirSync(scope, { recursive: true });
  for (const name of readdirSync(join(repoRoot, 'packages'))) {
    symlinkSync(join(repoRoot, 'packages', name), join(scope, name), 'dir');
  }
  mkdirSync(join(workDir, 'node_modules', '@types'), { recursive: true });
  const typesNode = realpathSync(join(repoRoot, 'node_modules', '@types', 'node'));
  symlinkSync(typesNode, join(workDir, 'node_modules', '@types', 'node'), 'dir');
}
