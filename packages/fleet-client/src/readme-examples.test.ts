// The README's TypeScript examples are type-checked against this package's source, so they keep
// naming real exports with their real signatures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(packageDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Type-checks every block in one program; returns each block's errors. */
function typeErrors(codes: readonly string[]): string[][] {
  // Virtual files inside the package, so they are ES modules like the package's own files.
  const files = codes.map((_, i) => path.join(packageDir, 'src', `__readme_example_${i + 1}__.ts`));
  const byName = new Map(files.map((file, i) => [file, codes[i] ?? '']));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    customConditions: ['@fleet-service/source'],
    paths: { '@fleet-service/fleet-client': [path.join(packageDir, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const code = byName.get(name);
    return code === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, code, language);
  };
  host.fileExists = (name) => byName.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byName.get(name) ?? readFile.call(host, name);
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram(files, options, host));
  return files.map((file) =>
    diagnostics
      .filter((d) => d.file?.fileName === file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

// A wrong call, checked in the same program, proves the check catches mistakes.
const WRONG =
  "import { createFleetClient } from '@fleet-service/fleet-client';\nawait createFleetClient().getUnits();\n";

describe('README examples', () => {
  it('has the unix socket, TCP, TLS and pure-core examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks.some((b) => b.includes('createFleetClient()'))).toBe(true);
    expect(blocks.some((b) => b.includes("endpoint: 'http://"))).toBe(true);
    expect(blocks.some((b) => b.includes("endpoint: 'https://") && b.includes('caFile'))).toBe(true);
  });

  it('every example type-checks against the source (and a wrong call does not)', () => {
    const errors = typeErrors([...blocks, WRONG]);
    const wrong = errors.pop();
    expect(wrong?.join('\n')).toMatch(/getUnits/);
    expect(errors.map((e, i) => ({ example: i + 1, errors: e }))).toEqual(
      blocks.map((_, i) => ({ example: i + 1, errors: [] })),
    );
  }, 60_000); // one TypeScript program: a few seconds, more on a busy CI machine
});
