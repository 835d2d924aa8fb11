/**
 * Runs a lifecycle hook (spec.ts `Hooks`) with a timeout on the injected clock: the hook's signal
 * is aborted when the timeout passes or the rollout's own signal fires, and the step fails with
 * HookFailedError. Events `hook-started`, `hook-finished`, `hook-failed`.
 */
import { HookFailedError, messageOf } from './errors.js';
import { emit } from './events.js';
import type { HookName } from './plan.js';
import { resultError } from './result.js';
import type { Hooks, LifecycleHook } from './spec.js';
import { DEFAULTS } from './spec.js';
import type { WatchContext } from './unit-watch.js';

export interface HookTarget {
  unit: string;
  index: number;
  machineID?: string;
}

const TIMED_OUT = Symbol('timed out');

/** Run `hook` for `target` if the caller gave one; throws HookFailedError when it fails. */
export async function runHook(
  ctx: WatchContext & { hooks?: Hooks },
  name: HookName,
  target: HookTarget,
): Promise<void> {
  const hook: LifecycleHook | undefined = name === 'pre-stop' ? ctx.hooks?.preStop : ctx.hooks?.postStart;
  if (!hook) return;
  const timeoutMs = ctx.hooks?.timeoutMs ?? DEFAULTS.hookTimeoutMs;
  const { clock } = ctx;
  const t0 = clock.now();
  emit(ctx.onEvent, t0, { type: 'hook-started', hook: name, unit: target.unit });
  const controller = new AbortController();
  const onOuter = () => controller.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuter, { once: true });
  const timer = new AbortController();
  try {
    const machine = target.machineID ? await ctx.machine(target.machineID).catch(() => undefined) : undefined;
    const ip = machine?.primaryIP;
    const outcome = await Promise.race([
      hook({
        unit: target.unit,
        index: target.index,
        ...(target.machineID ? { machineID: target.machineID } : {}),
        ...(ip ? { ip } : {}),
        signal: controller.signal,
      }).then(() => undefined),
      clock.sleep(timeoutMs, timer.signal).then(
        () => TIMED_OUT,
        () => undefined,
      ),
    ]);
    if (outcome === TIMED_OUT) {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      throw new HookFailedError({ hook: name, unit: target.unit, reason: `timed out after ${timeoutMs} ms` });
    }
    emit(ctx.onEvent, clock.now(), {
      type: 'hook-finished',
      hook: name,
      unit: target.unit,
      durationMs: clock.now() - t0,
    });
  } catch (caught) {
    const error =
      caught instanceof HookFailedError
        ? caught
        : new HookFailedError({ hook: name, unit: target.unit, reason: messageOf(caught), cause: caught });
    emit(ctx.onEvent, clock.now(), {
      type: 'hook-failed',
      hook: name,
      unit: target.unit,
      durationMs: clock.now() - t0,
      error: resultError(error),
    });
    throw error;
  } finally {
    timer.abort();
    ctx.signal?.removeEventListener('abort', onOuter);
  }
}
