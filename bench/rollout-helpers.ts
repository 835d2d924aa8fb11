// Shared by the rollout benchmarks: a simulator on a ManualClock, seeding, and the
// "sim's own transition time" of a finished rollout, computed from the sim's request log and timeline.
import { createFleetClient, type FleetApi, type UnitOption } from '@fleet-service/fleet-client';
import { type FleetSim, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import type { PlanStep, RolloutEvent } from '@fleet-service/rollout';

export function unitFile(v: string): UnitOption[] {
  return [
    { section: 'Unit', name: 'Description', value: 'bench %i' },
    { section: 'Service', name: 'ExecStart', value: '/usr/bin/web' },
    { section: 'Service', name: 'Environment', value: `VERSION=${v}` },
  ];
}

export const SETTINGS = {
  minHealthyMs: 2_000,
  pollIntervalMs: 500,
  timeouts: { stop: 120_000, gone: 120_000, launched: 120_000, healthy: 120_000 },
  progressDeadlineMs: 600_000,
  lock: { settleMs: 100, ttlMs: 60_000 },
} as const;

export async function simOnManualClock(
  machines = 5,
): Promise<{ sim: FleetSim; api: FleetApi; clock: ManualClock }> {
  const clock = new ManualClock(1_000_000, { autoAdvance: true });
  const sim = await startFleetSim({ clock, machines, seed: 7 });
  const api = createFleetClient({ endpoint: sim.endpoint, clock });
  return { sim, api, clock };
}

/** Put `count` inactive units that belong to no service (the "unrelated" cluster load). */
export async function addUnrelatedUnits(api: FleetApi, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const k = next++;
      await api.createUnit({
        name: `unrelated-${k}.service`,
        options: unitFile(`u${k}`),
        desiredState: 'inactive',
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Record step windows from the rollout's events. */
export function stepRecorder() {
  const windows = new Map<number, { step: PlanStep; start: number; end?: number }>();
  return {
    onEvent(e: RolloutEvent) {
      if (e.type === 'step-started') windows.set(e.step.id, { step: e.step, start: e.time });
      if (e.type === 'step-finished' || e.type === 'step-failed') {
        const w = windows.get(e.step.id);
        if (w) w.end = e.time;
      }
    },
    windows: () => [...windows.values()],
  };
}

/**
 * The sim's own transition time for the steps that ran: per step, the sum over its mutations of
 * (time the sim reached what the step waits for − time of the mutation), plus the stability window
 * for instances; per batch the longest step; summed over batches. That is how long the plan would
 * take with an engine that reacted instantly and never polled.
 */
export function simTransitionTime(
  sim: FleetSim,
  windows: ReturnType<ReturnType<typeof stepRecorder>['windows']>,
  newHash: string,
  minHealthyMs: number,
): number {
  const requests = sim.cluster.requests;
  const events = sim.cluster.timeline.events;
  const byBatch = new Map<number, number>();
  for (const w of windows) {
    const unit = w.step.unit;
    const muts = requests.filter(
      (r) =>
        (r.method === 'PUT' || r.method === 'DELETE') &&
        r.time >= w.start &&
        r.time <= (w.end ?? Infinity) &&
        decodeURIComponent(r.path).endsWith(`/units/${unit}`) &&
        r.status > 0,
    );
    let total = 0;
    for (const m of muts) {
      let ready: number | undefined;
      if (m.method === 'DELETE') {
        ready = events.find(
          (e) => e.unit === unit && e.time >= m.time && e.kind === 'state' && e.to === '-',
        )?.time;
      } else if (w.step.desiredState === 'launched') {
        ready = events.find(
          (e) =>
            e.unit === unit &&
            e.time >= m.time &&
            e.kind === 'state' &&
            e.hash === newHash &&
            e.to?.split('/')[1] === 'active',
        )?.time;
      }
      total += (ready ?? m.time) - m.time;
    }
    if (w.step.desiredState === 'launched') total += minHealthyMs;
    byBatch.set(w.step.batch, Math.max(byBatch.get(w.step.batch) ?? 0, total));
  }
  return [...byBatch.values()].reduce((a, b) => a + b, 0);
}

/** Requests the old fs would make for a rollout of this length: every 0.5 s, all pages of /units and /state. */
export function oldFsRequests(durationMs: number, units: number, states: number, pageSize = 100): number {
  const pages = (n: number) => Math.floor(n / pageSize) + 1; // fleet sends a trailing empty page at exact multiples
  return Math.ceil(durationMs / 500) * (pages(units) + pages(states));
}
