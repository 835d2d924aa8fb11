/**
 * "did you mean …?" for a word that is no command: a word other tools use for the same thing
 * (`deploy` → create), else the closest command id or alias by edit distance, when it is close
 * enough to be a typo (`crate` → create, `stauts` → status). Pure.
 */

/** Words people type for an fs command, from other deploy tools and shells. */
const SYNONYMS: Readonly<Record<string, string>> = {
  deploy: 'create',
  apply: 'create',
  update: 'create',
  up: 'create',
  install: 'create',
  start: 'create',
  run: 'create',
  upgrade: 'create',
  delete: 'destroy',
  remove: 'destroy',
  rm: 'destroy',
  down: 'destroy',
  uninstall: 'destroy',
  list: 'status',
  ps: 'status',
  show: 'status',
  get: 'status',
  undo: 'rollback',
  revert: 'rollback',
  diff: 'plan',
  preview: 'plan',
  nodes: 'machines',
  hosts: 'machines',
  'list-machines': 'machines',
  simulate: 'sim',
  simulator: 'sim',
};

/** Optimal string alignment distance (Levenshtein plus adjacent swaps: `stauts` → status is 1). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The command to suggest for `word`, or undefined. `commands` are the ids and aliases (an alias
 * suggested as itself). A synonym wins; else the nearest word within a third of its length
 * (at least 1, at most 3 edits); ties go to the earlier word.
 */
export function suggestCommand(word: string, commands: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const synonym = SYNONYMS[lower];
  if (synonym !== undefined && commands.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of commands) {
    const d = editDistance(lower, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(lower.length / 3)));
  return bestDistance <= limit ? best : undefined;
}
