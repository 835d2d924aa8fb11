// A TypeScript consumer as strict as they come: `strict`, `skipLibCheck: false` (the packages'
// own .d.ts files are checked too), NodeNext, and only the @types/node the READMEs ask for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repo's TypeScript compiler (run with node: `node tscPath -p DIR`). */
export const tscPath = join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

/** Writes `dir/tsconfig.json` for the strict consumer, compiling `include` into `dir/out`. */
export function writeStrictTsconfig(
  dir: string,
  include: string[],
  extra: Record<string, unknown> = {},
): void {
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    module: 'nodenext',
    target: 'es2022',
    types: ['node'],
    outDir: 'out',
    rootDir: '.',
    ...extra,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include }));
}
