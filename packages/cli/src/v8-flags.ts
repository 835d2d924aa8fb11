/**
 * The V8 flags fs sets on itself as it starts (bin/run.js, the single binary's entry), before any
 * of its code is compiled. They keep the process small: a 1,000-instance update peaks under 100 MiB
 * of RSS with them and at ~147 MiB without (bench/rollout-cli-scale.bench.ts), for some more CPU.
 * - `--optimize-for-size`: V8 favours memory over speed (heap growth, code).
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial size instead of
 *   doubling up to 16 MiB per semi-space; fs's garbage is short-lived (responses, events).
 *   (`--max-semi-space-size` would say the same, but V8 reads it only as the heap is created, so
 *   set from inside the process it has no effect; the growth factor is read at every growth.)
 * The build makes the bundle's code cache under the same flags (scripts/build-bundle.mjs): V8
 * rejects a code cache made under other flags, and the compile it then does costs a cold start
 * ~60 ms and ~10 MiB.
 */
import { setFlagsFromString } from 'node:v8';

export const FS_V8_FLAGS: readonly string[] = ['--optimize-for-size', '--semi-space-growth-factor=1'];

/** Sets {@link FS_V8_FLAGS} in this process. */
export function applyV8Flags(): void {
  for (const flag of FS_V8_FLAGS) setFlagsFromString(flag);
}
