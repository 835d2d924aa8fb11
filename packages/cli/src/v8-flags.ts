/**
 * The V8 flags fs sets on itself before it loads oclif (bin/run.js, the single binary's entry):
 * after the help fast path, before the bundle is compiled. They keep the process small at little CPU: a 1,000-instance update
 * (bench/rollout-cli-scale.bench.ts) peaked at ~147 MiB of RSS without them and ~99 MiB with them,
 * its CPU time from ~6.4 % of its wall time to ~7.3 % (`--optimize-for-size` gave ~95 MiB but
 * doubled the CPU: it also makes V8 compile for size).
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial size instead of
 *   doubling up to 16 MiB per semi-space; fs's garbage is short-lived (responses, events).
 *   (`--max-semi-space-size` would say the same, but V8 reads it only as the heap is created, so
 *   set from inside the process it does nothing; the growth factor is read at every growth.)
 * - `--heap-growing-percent=20`: the old generation's next limit is 1.2× what survived the last
 *   full collection, not V8's default of up to 4× (read at every collection).
 * The build makes the bundle's code cache under the same flags (scripts/build-bundle.mjs): V8
 * rejects a code cache made under other flags, and the compile it then does costs a cold start
 * ~60 ms and ~10 MiB.
 */
import { setFlagsFromString } from 'node:v8';

export const FS_V8_FLAGS: readonly string[] = ['--semi-space-growth-factor=1', '--heap-growing-percent=20'];

/** Sets {@link FS_V8_FLAGS} in this process. */
export function applyV8Flags(): void {
  for (const flag of FS_V8_FLAGS) setFlagsFromString(flag);
}
