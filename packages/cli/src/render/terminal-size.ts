/**
 * A terminal's size as the live view may use it. Some terminals report 0 columns (`script`,
 * `docker exec -t` before the size is sent, some CI runners); listr2 and log-update then wrap
 * every line at a width of 0 or less, one character per line. A size that is not a positive
 * number is taken as 80 × 24.
 */

export const FALLBACK_COLUMNS = 80;
export const FALLBACK_ROWS = 24;

/** A usable size: the value if it is a positive finite number, else the fallback. */
export function usableSize(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** The part of a TTY stream the size is read from. */
export interface SizedStream {
  columns?: number;
  rows?: number;
}

/**
 * Gives each stream a usable `columns` and `rows` for as long as the live view draws (listr2
 * reads `process.stdout.columns` itself, so the process's stdout is patched, not wrapped).
 * Returns the function that puts back what was there. A stream whose size is fine is left alone,
 * so a resize (node updates `columns` on SIGWINCH) still shows.
 */
export function ensureUsableSize(streams: readonly SizedStream[]): () => void {
  const undo: Array<() => void> = [];
  for (const stream of new Set(streams)) {
    for (const [key, fallback] of [
      ['columns', FALLBACK_COLUMNS],
      ['rows', FALLBACK_ROWS],
    ] as const) {
      const before = stream[key];
      if (usableSize(before, 0) > 0) continue;
      stream[key] = fallback;
      undo.push(() => {
        if (stream[key] === fallback) stream[key] = before as number;
      });
    }
  }
  return () => {
    for (const u of undo.splice(0)) u();
  };
}
