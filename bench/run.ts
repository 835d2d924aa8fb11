// `pnpm bench [name]`: runs every bench/*.bench.ts (or those whose file name contains `name`) and
// prints each result as a ratio against a baseline measured in the same run, with its goal and
// PASS / FAIL beside it; a summary at the end; exit 1 when a goal failed or a bench broke.
// Sizes come from FS_BENCH_* variables (see each file); the defaults run in a few minutes.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One measured result: `ratio` = measured ÷ baseline (lower is better). */
export interface BenchResult {
  name: string;
  ratio: number;
  /** What the ratio compares, e.g. "rollout wall ÷ sim transition time". */
  baseline: string;
  /** Raw numbers, for the curious; never compared against fixed limits. */
  detail?: Record<string, number | string>;
  /** The goal in words, e.g. "≤ 1.05× + 20 ms per instance". */
  goal?: string;
  /** The goal as a bound on `ratio`: PASS when `ratio ≤ max` (and every `also` holds). */
  max?: number;
  /** Further conditions of the goal that are not the ratio (e.g. "no write"), each PASS or FAIL. */
  also?: Record<string, boolean>;
}

/** PASS, FAIL, or '' when the result states no goal. */
export function verdict(r: BenchResult): 'PASS' | 'FAIL' | '' {
  if (r.max === undefined && r.also === undefined) return '';
  const ratioOk = r.max === undefined || (Number.isFinite(r.ratio) && r.ratio <= r.max);
  return ratioOk && Object.values(r.also ?? {}).every(Boolean) ? 'PASS' : 'FAIL';
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

let broken = false;
const summary: string[] = [];
for (const file of files) {
  console.log(`\n## ${file}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as {
      default: () => Promise<BenchResult[]>;
    };
    for (const r of await mod.default()) {
      const v = verdict(r);
      const detail = r.detail ? `  ${JSON.stringify(r.detail)}` : '';
      const bound = r.max === undefined ? '' : ` = ratio ≤ ${r.max.toFixed(3)}`;
      const goal = r.goal ? ` (goal ${r.goal}${bound})` : '';
      const also = r.also
        ? ` [${Object.entries(r.also)
            .map(([k, ok]) => `${k}: ${ok ? 'yes' : 'NO'}`)
            .join(', ')}]`
        : '';
      console.log(
        `${v ? `${v} ` : ''}${r.name}: ${r.ratio.toFixed(3)}× ${r.baseline}${goal}${also}${detail}`,
      );
      if (v)
        summary.push(
          `${v}  ${r.name}: ${r.ratio.toFixed(3)}×${r.max === undefined ? '' : ` (≤ ${r.max.toFixed(3)})`}`,
        );
    }
  } catch (error) {
    broken = true;
    summary.push(`FAIL  ${file} broke: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`${file} failed:`, error);
  }
}
console.log(`\n## summary\n${summary.join('\n')}`);
const failed = summary.filter((l) => l.startsWith('FAIL')).length;
console.log(`${summary.length - failed} PASS, ${failed} FAIL`);
process.exit(broken || failed > 0 ? 1 : 0);
