/**
 * Bounded concurrency for the steps of one batch. A batch is what may run together as far as
 * capacity goes (the planner puts every capacity-adding step of a rollout in one batch, however
 * large); how many steps are actually in flight — each with its HTTP requests and poll loop — is
 * bounded here by `maxParallel`, independently of the plan.
 */

/** What happened to each item: settled, or `undefined` when it was never started. */
export type PoolResult = (PromiseSettledResult<void> | undefined)[];

/**
 * Run `items` with at most `limit` in flight, starting them in order: a new one starts whenever one
 * finishes. Before each start `mayStart()` is asked; once it says no, nothing more starts and the
 * ones in flight finish. Never rejects: each item's outcome is in the result, at its position.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
  mayStart: () => boolean,
): Promise<PoolResult> {
  const results: PoolResult = Array.from({ length: items.length }, () => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && mayStart()) {
      const k = next++;
      try {
        await run(items[k]!);
        results[k] = { status: 'fulfilled', value: undefined };
      } catch (reason) {
        results[k] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
