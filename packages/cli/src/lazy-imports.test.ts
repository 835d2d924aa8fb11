// Heavy modules are imported lazily, so help and flag errors stay fast: nothing a command loads
// before `run()` (its static imports, transitively) may reach got, listr2, p-retry or the
// workspace packages. A bundle (dist/oclif-bundle.cjs, the binary) keeps the same laziness:
// esbuild evaluates a module reached only through `await import()` on first use.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = import.meta.dirname;
// `@fleet-service/rollout/classify` is light: the classification table alone, no imports (exit-codes.ts)
const HEAVY =
  /^(got|listr2|p-retry|@fleet-service\/(rollout(?!\/classify$)|fleet-client|fleet-sim|notify|apply(?!\/classify$)))(\/|$)/;

/** Value imports of a TypeScript file (type-only imports and dynamic imports excluded). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+([^;]*?)\s+from\s+'([^']+)'/gms)) {
    const clause = m[2]!;
    if (/^type\s/.test(clause)) continue; // import type { … }
    const names = clause.match(/\{([^}]*)\}/)?.[1];
    const onlyTypes =
      names !== undefined &&
      !clause.replace(/\{[^}]*\}/, '').match(/\w/) &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    if (!onlyTypes) out.push(m[3]!);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

/** Every module reached from `entry` through static value imports. */
function reached(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (!target.endsWith('.ts') || seen.has(target)) continue;
        seen.add(target);
        todo.push(target);
      } else {
        seen.add(spec);
      }
    }
  }
  return seen;
}

describe('heavy modules are imported lazily', () => {
  const commands = readdirSync(join(src, 'commands')).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
  );

  it.each(commands)('commands/%s loads no heavy module before run()', (file) => {
    const heavy = [...reached(join(src, 'commands', file))].filter((m) => HEAVY.test(m));
    expect(heavy).toEqual([]);
  });

  it('the analysis sees a heavy module where there is one', () => {
    expect([...reached(join(src, 'render', 'live-renderer.ts'))].some((m) => HEAVY.test(m))).toBe(true);
  });

  it('the entries load neither oclif nor anything heavy before deciding on cached help', () => {
    for (const entry of ['argv.ts', 'help/help-cache.ts', 'help/oclif-platform.ts']) {
      const mods = [...reached(join(src, entry))];
      expect(mods.filter((m) => !m.startsWith('node:') && !m.startsWith('/'))).toEqual([]);
    }
  });
});
