import { InvalidClientOptionsError } from './errors.js';

/** Throws InvalidClientOptionsError: `invalid fleet client option <option>: <why>`. */
export function fail(option: string, why: string, cause?: unknown): never {
  throw new InvalidClientOptionsError(`invalid fleet client option ${option}: ${why}`, option, cause);
}

/** A finite number option (or `fallback` when absent), at least `min`, optionally an integer. */
export function number(
  option: string,
  value: unknown,
  fallback: number,
  check: { min: number; integer?: boolean },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(option, `expected a finite number, got ${String(value)}`);
  if (check.integer && !Number.isInteger(value)) fail(option, `expected an integer, got ${value}`);
  if (value < check.min) fail(option, `must be at least ${check.min}, got ${value}`);
  return value;
}

/** An optional function option. */
export function hook<T>(option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(option, 'expected a function');
  return value as T;
}
