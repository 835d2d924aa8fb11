// `pnpm bench`: runs every bench/*.bench.ts and prints its results as ratios against a baseline
// measured in the same run. Sizes come from env vars (see each file); nothing here asserts a time.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One measured result: `ratio` = measured ÷ baseline (lower is better unless `higherIsBetter`). */
export interface BenchResult {
  name: string;
  ratio: number;
  /** What the ratio compares, e.g. "rollout wall ÷ sim transition time". */
  baseline: string;
  /** Raw numbers, for the curious; never compared against fixed limits. */
  detail?: Record<string, number | string>;
  /** The goal, when the issue states one, e.g. "≤ 1.05". */
  goal?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.includes(only))
  .sort();

let failed = false;
for (const file of files) {
  console.log(`\n## ${file}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as {
      default: () => Promise<BenchResult[]>;
    };
    for (const r of await mod.default()) {
      const detail = r.detail ? `  ${JSON.stringify(r.detail)}` : '';
      const goal = r.goal ? ` (goal ${r.goal})` : '';
      console.log(`${r.name}: ${r.ratio.toFixed(3)}× ${r.baseline}${goal}${detail}`);
    }
  } catch (error) {
    failed = true;
    console.error(`${file} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
