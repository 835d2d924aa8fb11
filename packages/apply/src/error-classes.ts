/**
 * Apply's error codes in the engine's failure classes (imports nothing, so a front end can map
 * them without loading apply). ERR_APPLY_FAILED has no class of its own: the services' outcomes
 * decide (see `worstFailureClass`).
 */
export const APPLY_ERROR_CLASSES = Object.freeze({
  ERR_APPLY_INVALID: 'usage',
  ERR_APPLY_SOURCE: 'usage',
  ERR_APPLY_EMPTY: 'usage',
  /** A service stopped because another failed: interrupted (by apply, so the other's class decides). */
  ERR_APPLY_FAIL_FAST: 'interrupted',
} as const);

/**
 * Precedence when several services failed: the first class in this list that any service has wins.
 * Interrupted first (the user stopped it); then the states that need a person most (a failed
 * rollback leaves a mix of contents; an internal error is a bug); then a stopped rollout, a
 * timeout, a rollback that worked, fleet refusing, fleet away, a lock, bad input.
 */
export const APPLY_CLASS_PRECEDENCE = Object.freeze([
  'interrupted',
  'rollback-failed',
  'internal',
  'instance-failed',
  'timed-out',
  'rolled-back',
  'rejected',
  'unreachable',
  'locked',
  'usage',
] as const);

export type ApplyFailureClass = (typeof APPLY_CLASS_PRECEDENCE)[number];

/** The class that decides an apply of several services: the highest in the precedence; none → undefined. */
export function worstFailureClass(classes: readonly (string | undefined)[]): ApplyFailureClass | undefined {
  for (const c of APPLY_CLASS_PRECEDENCE) if (classes.includes(c)) return c;
  return classes.some((c) => c !== undefined) ? 'internal' : undefined;
}
