// `fs apply` of FS_BENCH_APPLY_SERVICES (default 50) services × 3 instances with
// FS_BENCH_APPLY_CHANGED (default 5) changed, on the simulator (manual clock), against a naive
// loop of `fs create` (the engine's rollout(), one per service, as a deployer without apply would
// run) over the same change in the same run: requests made and wall time. Then an unchanged
// re-apply. Goals (issue 15): ≤ 0.3× the loop's requests; the unchanged re-apply makes zero
// mutating requests and ≤ 60 requests in all.
import { apply, type DesiredService, type DesiredState } from '@fleet-service/apply';
import { rollout } from '@fleet-service/rollout';
import { SETTINGS, simOnManualClock, unitFile } from './rollout-helpers.js';
import type { BenchResult } from './run.js';

const SERVICES = Number(process.env.FS_BENCH_APPLY_SERVICES ?? 50);
const CHANGED = Number(process.env.FS_BENCH_APPLY_CHANGED ?? 5);
const COUNT = 3;
const name = (k: number) => `svc${String(k).padStart(3, '0')}`;
const versionOf = (k: number, round: number) => (round > 0 && k < CHANGED ? `v${round + 1}` : 'v1');

function desired(round: number): DesiredState {
  const services = Array.from(
    { length: SERVICES },
    (_, k): DesiredService => ({
      service: name(k),
      kind: 'template',
      name: `${name(k)}@.service`,
      count: COUNT,
      unitFile: unitFile(versionOf(k, round)),
      unitSource: 'bench',
      desiredState: 'launched',
      strategy: { ...SETTINGS, lock: undefined } as DesiredService['strategy'],
      at: { file: 'bench' },
    }),
  );
  return { source: 'bench', services, unchanged: false };
}

async function measure<T>(sim: Awaited<ReturnType<typeof simOnManualClock>>['sim'], fn: () => Promise<T>) {
  const before = sim.cluster.requests.length;
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const log = sim.cluster.requests.slice(before);
  return {
    requests: log.length,
    mutating: log.filter((r) => r.method !== 'GET').length,
    wallMs,
    byKind: kinds(log),
  };
}

/** Where the requests go: the waits' /state reads, the listings, locks, records, units. */
function kinds(log: readonly { method: string; path: string; query: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of log) {
    const kind = r.path.includes('/state')
      ? r.query.includes('unitName=')
        ? 'state per unit'
        : 'state listing pages'
      : r.path.includes('fs-lock')
        ? 'lock'
        : r.path.includes('fs-record')
          ? 'record'
          : /\/units$/.test(r.path)
            ? 'units listing pages'
            : r.path.includes('/units/')
              ? `unit ${r.method}`
              : 'other';
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

export default async function bench(): Promise<BenchResult[]> {
  // two clusters in the same state, created the same way
  const a = await simOnManualClock(5);
  const b = await simOnManualClock(5);
  const lock = { settleMs: SETTINGS.lock.settleMs, ttlMs: SETTINGS.lock.ttlMs };
  try {
    for (const x of [a, b])
      await apply({ desired: desired(0) }, { api: x.api, clock: x.clock, lock, parallel: 8 });
    const viaApply = await measure(a.sim, () =>
      apply({ desired: desired(1) }, { api: a.api, clock: a.clock, lock, parallel: 4 }),
    );
    const loopOf = (from: number, to: number) => async () => {
      for (let k = from; k < to; k++)
        await rollout(
          { service: name(k), unitFile: unitFile(versionOf(k, 1)), count: COUNT, ...SETTINGS },
          { api: b.api, clock: b.clock },
        );
    };
    // the loop in two parts, to show where its requests go: the changed services, the unchanged ones
    const loopChanged = await measure(b.sim, loopOf(0, CHANGED));
    const loopUnchanged = await measure(b.sim, loopOf(CHANGED, SERVICES));
    const viaLoop = {
      requests: loopChanged.requests + loopUnchanged.requests,
      mutating: loopChanged.mutating + loopUnchanged.mutating,
      wallMs: loopChanged.wallMs + loopUnchanged.wallMs,
    };
    const again = await measure(a.sim, () =>
      apply({ desired: desired(1) }, { api: a.api, clock: a.clock, lock }),
    );
    return [
      {
        name: `apply of ${SERVICES} services × ${COUNT}, ${CHANGED} changed: requests`,
        ratio: viaApply.requests / viaLoop.requests,
        baseline: 'apply ÷ a loop of fs create per service (same change, same run)',
        goal: '≤ 0.3',
        max: 0.3,
        detail: {
          apply: viaApply.requests,
          loop: viaLoop.requests,
          applyMutating: viaApply.mutating,
          loopMutating: viaLoop.mutating,
          loopOnChanged: loopChanged.requests,
          loopOnUnchanged: loopUnchanged.requests,
          applyByKind: JSON.stringify(viaApply.byKind),
          loopOnChangedByKind: JSON.stringify(loopChanged.byKind),
        },
      },
      {
        name: `apply's cost beyond the ${CHANGED} changed services' own rollouts`,
        ratio: Math.max(0, viaApply.requests - loopChanged.requests) / loopUnchanged.requests,
        baseline: `(apply − the loop's requests for the changed services) ÷ the loop's requests for the ${SERVICES - CHANGED} unchanged`,
        detail: {
          applyOverhead: viaApply.requests - loopChanged.requests,
          loopOnUnchanged: loopUnchanged.requests,
        },
      },
      {
        name: `apply of ${SERVICES} services × ${COUNT}, ${CHANGED} changed: wall time`,
        ratio: viaApply.wallMs / viaLoop.wallMs,
        baseline: 'apply ÷ the loop of fs create (wall ms on the manual clock: CPU and I/O, not fleet time)',
        detail: { applyMs: Math.round(viaApply.wallMs), loopMs: Math.round(viaLoop.wallMs) },
      },
      {
        name: 'unchanged re-apply: requests',
        ratio: again.requests / 60,
        baseline: 'requests ÷ 60 (the issue’s ceiling)',
        goal: '≤ 1, and 0 mutating',
        max: 1,
        also: { 'no mutating request': again.mutating === 0 },
        detail: { requests: again.requests, mutating: again.mutating, wallMs: Math.round(again.wallMs) },
      },
    ];
  } finally {
    for (const x of [a, b]) {
      (x.api as { close?: () => void }).close?.();
      await x.sim.close();
    }
  }
}
