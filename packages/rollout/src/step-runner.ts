/**
 * Carries out one PlanStep. Before each mutation the unit is re-read and compared with what the
 * plan assumed (`fromHash` / absent); anything else is a DriftError. A unit already in the step's
 * target state is not touched again (so retries and resumed runs are idempotent).
 */

import type { Unit } from '@fleet-service/fleet-client';
import { watchCanaries } from './canary-watch.js';
import type { CapacityGate } from './capacity-gate.js';
import { createConfirmed } from './confirmed-write.js';
import { DriftError } from './errors.js';
import { unitHash } from './fleet-helpers.js';
import { bringsUp, takesDown } from './hook-marks.js';
import { runHook } from './hooks.js';
import { nudgeBeforeChange, nudgeLock, nudgeWhileIdle } from './nudge.js';
import { pinnedOptions } from './per-machine.js';
import type { Plan, PlanStep } from './plan.js';
import { supportsContentReplace } from './server-version.js';
import type { Hooks } from './spec.js';
import { type WatchContext, waitGone, waitRunning, waitStopped } from './unit-watch.js';

export interface StepContext extends WatchContext {
  plan: Plan;
  /** Lifecycle hooks (functions: not part of the plan). */
  hooks?: Hooks;
  /** Checked before every take-down of an instance (see capacity-gate.ts); none: no check. */
  gate?: CapacityGate;
  /** The lock unit this run holds: nudged around a DELETE so fleet's agents act on it at once (nudge.ts). */
  lockUnit?: string;
}

/** What a step did: `skipped` when the unit was already as the step wanted it. */
export interface StepOutcome {
  skipped: boolean;
}

const hashOf = (u: Unit) => unitHash(u.options ?? []);
const short = (h: string | undefined) => (h ? h.slice(0, 7) : 'none');

export async function runStep(ctx: StepContext, step: PlanStep): Promise<StepOutcome> {
  const { api, plan } = ctx;
  const read = () => api.getUnit(step.unit, { signal: ctx.signal });
  const drift = (u: Unit | undefined, expected: string): never => {
    throw new DriftError({
      unit: step.unit,
      expected,
      actual: u ? `contents ${short(hashOf(u))}` : 'no unit',
      step,
    });
  };
  // per machine, an instance's contents are the plan's pinned to its machine (per-machine.ts)
  const options = step.pinnedTo ? pinnedOptions(plan.unitFile, step.pinnedTo) : plan.unitFile;
  const newHash = step.role === 'template' ? plan.newHash : (step.toHash ?? plan.newHash);
  const create = (desiredState = step.desiredState ?? 'launched') =>
    createConfirmed(api, { name: step.unit, options, desiredState }, { signal: ctx.signal });
  const ensureDesired = async (u: Unit) => {
    const want = step.desiredState ?? 'launched';
    if (u.desiredState !== want) await api.setUnitTargetState(step.unit, want, { signal: ctx.signal });
  };
  // DELETE, nudging fleet's agents around it when this run holds the lock (nudge.ts)
  const destroyAndWaitGone = async () => {
    if (ctx.lockUnit) await nudgeLock(api, ctx.lockUnit, ctx.signal);
    await api.destroyUnit(step.unit, { signal: ctx.signal, ignoreNotFound: true });
    const stop = ctx.lockUnit
      ? nudgeWhileIdle(api, ctx.clock, ctx.lockUnit, ctx.signal, 'inactive')
      : undefined;
    try {
      await waitGone(ctx, step.unit);
    } finally {
      stop?.();
    }
  };
  const target = (machineID: string | undefined) => ({
    unit: step.unit,
    index: step.index ?? 0,
    ...(machineID ? { machineID } : {}),
  });
  const running = async () => {
    const { machineID } = await waitRunning(ctx, {
      unit: step.unit,
      index: step.index ?? 0,
      hash: newHash,
      options,
    });
    ctx.gate?.restored(step.unit);
    // healthy with the new contents: e.g. register it with the load balancer
    if (bringsUp(step)) await runHook(ctx, 'post-start', target(machineID));
  };
  /**
   * Capacity first: wait until taking this unit down keeps the guarantee (fresh /state reads);
   * then the pre-stop hook (e.g. drain it). A failing hook leaves the unit as it was.
   */
  const takeDown = async (u: Unit | undefined, gated = true) => {
    if (gated) await ctx.gate?.takeDown(step.unit);
    try {
      await runHook(ctx, 'pre-stop', target(u?.machineID));
    } catch (error) {
      if (gated) ctx.gate?.restored(step.unit);
      throw error;
    }
  };
  const isUnitOfService = step.role === 'instance' || step.role === 'surge' || step.role === 'canary';

  switch (step.action) {
    case 'create': {
      const u = await read();
      let skipped = false;
      if (!u) await create();
      else if (hashOf(u) === step.toHash) {
        skipped = u.desiredState === step.desiredState;
        await ensureDesired(u);
      } else if (step.role === 'template') {
        await create('inactive'); // a template is only a pattern: take it over
      } else drift(u, 'no unit');
      if (isUnitOfService) await running();
      return { skipped };
    }
    case 'replace': {
      if (step.role === 'template') {
        const u = await read();
        if (u && hashOf(u) === step.toHash) return { skipped: true };
        if (u && hashOf(u) !== step.fromHash) drift(u, `contents ${short(step.fromHash)}`);
        if (u && !supportsContentReplace(plan.serverVersion)) {
          await api.destroyUnit(step.unit, { signal: ctx.signal, ignoreNotFound: true });
        }
        await create('inactive');
        return { skipped: false };
      }
      const u = await read();
      if (!u) drift(u, `contents ${short(step.fromHash)}`);
      const current = hashOf(u!);
      if (current === step.toHash && step.toHash !== step.fromHash) {
        await ensureDesired(u!);
        await running();
        return { skipped: true };
      }
      if (current !== step.fromHash) drift(u, `contents ${short(step.fromHash)}`);
      if (step.mode === 'in-place') {
        await takeDown(u);
        if (step.toHash === step.fromHash) {
          // forced with identical contents: PUT would be a no-op (204), so restart via stop + start
          await api.setUnitTargetState(step.unit, 'loaded', { signal: ctx.signal });
          await waitStopped(ctx, step.unit, step.fromHash!);
          await api.setUnitTargetState(step.unit, 'launched', { signal: ctx.signal });
        } else {
          await nudgeBeforeChange(api, u!, ctx.signal);
          await create('launched');
          const stopNudging = nudgeWhileIdle(api, ctx.clock, step.unit, ctx.signal);
          try {
            await waitStopped(ctx, step.unit, step.fromHash!);
          } finally {
            stopNudging();
          }
        }
      } else {
        await takeDown(u);
        await destroyAndWaitGone();
        const again = await read();
        if (again && hashOf(again) !== step.toHash) drift(again, 'no unit (just destroyed)');
        if (!again) await create('launched');
        else await ensureDesired(again);
      }
      await running();
      return { skipped: false };
    }
    case 'start': {
      const u = await read();
      if (!u || hashOf(u) !== step.toHash) drift(u, `contents ${short(step.toHash)}`);
      await ensureDesired(u!);
      await running();
      return { skipped: false };
    }
    case 'watch':
      await watchCanaries(ctx, step);
      return { skipped: false };
    case 'destroy': {
      const u = await read();
      if (!u) return { skipped: true };
      if (step.fromHash !== undefined && hashOf(u) !== step.fromHash)
        drift(u, `contents ${short(step.fromHash)}`);
      const gated = step.role === 'extra' || step.role === 'surge' || step.role === 'canary';
      if (takesDown(step)) await takeDown(u, gated);
      await destroyAndWaitGone();
      return { skipped: false };
    }
  }
}
