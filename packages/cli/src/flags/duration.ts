import { UsageError } from '../usage-error.js';

/** Bounds for a duration flag, in milliseconds. */
export interface DurationBounds {
  /** Smallest accepted value. @default 1 */
  minMs?: number;
  /** Largest accepted value. @default 604_800_000 (7 days) */
  maxMs?: number;
  /** Unit of a bare number such as `600` or `3.0`. @default 's' */
  bareUnit?: 'ms' | 's';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** `90000` → `1m30s`, `1500` → `1.5s`, `250` → `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1_000);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/**
 * The one duration parser of the CLI: `500ms`, `90s`, `10m`, `1h`, `1m30s`, or a bare number of
 * seconds (`600`, `3.0`: the old fs's `--timeout SECONDS`). Returns milliseconds; throws a
 * UsageError naming the flag when the text is not a duration or is out of bounds.
 */
export function parseDuration(text: string, flag: string, bounds: DurationBounds = {}): number {
  const { minMs = 1, maxMs = 604_800_000, bareUnit = 's' } = bounds;
  const input = text.trim().toLowerCase();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(input)) {
    ms = Number(input) * UNIT_MS[bareUnit]!;
  } else if (input !== '') {
    PART.lastIndex = 0;
    let total = 0;
    let consumed = 0;
    for (let m = PART.exec(input); m; m = PART.exec(input)) {
      total += Number(m[1]) * UNIT_MS[m[2]!]!;
      consumed = PART.lastIndex;
    }
    if (consumed === input.length) ms = total;
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UsageError(`--${flag}: "${text}" is not a duration`, {
      hint: 'use a number with a unit, e.g. 500ms, 90s, 10m, 1h, or a bare number of seconds',
    });
  }
  ms = Math.round(ms);
  if (ms < minMs || ms > maxMs) {
    throw new UsageError(
      `--${flag}: ${text} is out of range (${formatDuration(minMs)} to ${formatDuration(maxMs)})`,
    );
  }
  return ms;
}

/** Parses a whole number flag with bounds; `abc`, `1.5`, `-1` give a UsageError naming the flag. */
export function parseInteger(text: string, flag: string, min: number, max = 1_000_000): number {
  const input = text.trim();
  if (!/^-?\d+$/.test(input)) throw new UsageError(`--${flag}: "${text}" is not a whole number`);
  const n = Number(input);
  if (n < min || n > max) throw new UsageError(`--${flag}: ${n} is out of range (${min} to ${max})`);
  return n;
}

/** `--max-failures`: a whole number (`2`), a ratio below 1 (`0.2`) or a percentage (`20%`). */
export function parseFailureBudget(text: string, flag: string): number {
  const input = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(input);
  if (pct) {
    const n = Number(pct[1]);
    if (n < 100) return n / 100;
  } else if (/^\d+$/.test(input)) return Number(input);
  else if (/^0?\.\d+$/.test(input)) return Number(input);
  throw new UsageError(`--${flag}: "${text}" is not a number of failures or a ratio`, {
    hint: 'e.g. 2 (instances), 0.2 or 20% (of --count)',
  });
}
