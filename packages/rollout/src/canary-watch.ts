/**
 * The `watch` step of a canary plan that promotes by itself: for `durationMs` (on the injected
 * clock) every canary must keep running the new contents — one `GET /state?unitName=` per canary
 * per poll interval. A canary that stops, fails or changes contents fails the step with
 * InstanceFailedError (the failure policy applies: `rollback` destroys the canaries).
 */
import { InstanceFailedError } from './errors.js';
import type { PlanStep } from './plan.js';
import type { StepContext } from './step-runner.js';

export async function watchCanaries(ctx: StepContext, step: PlanStep): Promise<void> {
  const { clock, api, plan } = ctx;
  const units = step.watchUnits ?? [step.unit];
  const until = clock.now() + (step.durationMs ?? 0);
  for (;;) {
    for (const unit of units) {
      const states = await api.listUnitStates({ unitName: unit }, { signal: ctx.signal });
      ctx.seen?.(unit, states);
      const healthy = states.some(
        (s) =>
          s.hash === plan.newHash && s.systemdLoadState === 'loaded' && s.systemdActiveState === 'active',
      );
      if (!healthy) {
        const s = states[0];
        throw new InstanceFailedError({
          unit,
          diagnosis: s
            ? `canary stopped being healthy while watched: systemd ${s.systemdLoadState}/${s.systemdActiveState}/${s.systemdSubState}, hash ${s.hash?.slice(0, 7) ?? '-'}`
            : 'canary stopped being healthy while watched: no /state entry',
          ...(s?.machineID ? { machineID: s.machineID } : {}),
        });
      }
    }
    const left = until - clock.now();
    if (left <= 0) return;
    await clock.sleep(Math.min(left, ctx.settings.pollIntervalMs), ctx.signal);
  }
}
