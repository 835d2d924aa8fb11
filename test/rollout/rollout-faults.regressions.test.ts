/**
 * Schedules the fault property test once failed on, replayed exactly (see fault-schedules.ts), and
 * focused tests of what they broke. `FS_TRACE=<file>` writes a replay's events and the simulator's
 * timeline of the instances to that file (JSON), to see what happened when one fails again.
 */
import { rollout, StateTimeoutError } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import { runSchedule, type Schedule, type ScheduleTrace } from './fault-schedules.js';
import { FAST, H1, harness, runningWith, V1, V2 } from './sim-harness.js';

const NEW_MATCH = { option: { section: 'Service', name: 'Environment', value: 'VERSION=new' } };

async function replay(s: Schedule): Promise<void> {
  const trace: ScheduleTrace = { events: [], timeline: [] };
  try {
    await runSchedule(s, trace);
  } finally {
    if (process.env.FS_TRACE) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(process.env.FS_TRACE, JSON.stringify(trace, null, 1));
    }
  }
}

describe('fault schedules that once broke the capacity guarantee', () => {
  it('the lock PUT stored but its answer garbled: the lock is taken back, not left behind (property seed 484165641, path 948)', async () => {
    await replay({
      seed: 29739,
      count: 3,
      maxUnavailable: 2,
      maxSurge: 0,
      replaceMode: 'in-place',
      onFailure: 'abort',
      versionFault: undefined,
      apiFaults: [
        { kind: 'api-reset', route: '*', probability: 0.07360444783567925, count: 3 },
        { kind: 'api-drop-response', route: 'PUT /units/*', probability: 0.3676854488402859, count: 1 },
        { kind: 'api-drop-response', route: 'PUT /units/*', probability: 0.4241450411918015, count: 2 },
      ],
      machineDiesAt: 25686,
      abortAtStep: 5,
    });
  });

  it('flapping new version, surge 1, pause, abort at step 8 (property seed 204923831, path 920)', async () => {
    await replay({
      seed: 864999,
      count: 3,
      maxUnavailable: 1,
      maxSurge: 1,
      replaceMode: 'recreate',
      onFailure: 'pause',
      versionFault: { kind: 'unit-start-fails', match: NEW_MATCH, after: 1287, flapping: true },
      apiFaults: [
        { kind: 'api-reset', route: 'PUT /units/*', probability: 0.15904160642828408, count: 1 },
        { kind: 'api-error', route: 'GET /state', status: 502, probability: 0.29827433369152956, count: 2 },
        {
          kind: 'api-latency',
          route: 'GET /units/*',
          delayMs: 2765,
          probability: 0.13506759317584047,
          count: 9,
        },
      ],
      machineDiesAt: undefined,
      abortAtStep: 8,
    });
  });
});

describe('fault schedules that once ended "succeeded" on a flapping version', () => {
  it('surge 1 with no unavailability, rollback, flapping, slow answers (property seed 149291699, path 287)', async () => {
    // caught a stability window allowed to span two poll intervals: a flap hid between slow reads
    await replay({
      seed: 16,
      count: 3,
      maxUnavailable: 0,
      maxSurge: 1,
      replaceMode: 'recreate',
      onFailure: 'rollback',
      versionFault: { kind: 'unit-start-fails', match: NEW_MATCH, after: 896, flapping: true },
      apiFaults: [
        { kind: 'api-latency', route: '*', delayMs: 773, probability: 0.21850524817652336, count: 5 },
      ],
      machineDiesAt: undefined,
      abortAtStep: 7,
    });
  });

  it('N = 1, rollback, flapping, slow GET /state (property seed 4004, run 941)', async () => {
    // The window spanned a 3 s /state read, the flap fell in it, and the rollout reported success
    // with the only instance flapping (0 running at the end).
    await replay({
      seed: 919916,
      count: 1,
      maxUnavailable: 1,
      maxSurge: 0,
      replaceMode: 'recreate',
      onFailure: 'rollback',
      versionFault: { kind: 'unit-start-fails', match: NEW_MATCH, after: 1248, flapping: true },
      apiFaults: [
        {
          kind: 'api-latency',
          route: 'GET /state',
          delayMs: 2115,
          probability: 0.22662076652884883,
          count: 4,
        },
      ],
      machineDiesAt: 29990,
      abortAtStep: 3,
    });
  });
});

describe('stability window', () => {
  it('a flapping instance seen only through slow polls never counts as running', async () => {
    // every GET /units/{name} takes 2.5 s, so /state is read every ~3.5 s: a 1 s flap fits between
    // two reads. The window must not span such a gap, or web@1 "passes" and web@2 goes down too.
    const h = await harness({
      faults: [
        {
          kind: 'unit-start-fails',
          match: { option: { section: 'Service', name: 'Environment', value: 'VERSION=2' } },
          after: 1_300,
          flapping: true,
        },
      ],
    });
    try {
      await rollout({ service: 'web', unitFile: V1, count: 2, ...FAST }, { api: h.api, clock: h.clock });
      h.sim.cluster.addFault({ kind: 'api-latency', route: 'GET /units/*', delayMs: 2_500 });
      const from = h.clock.now();
      const error = await rollout(
        {
          service: 'web',
          unitFile: V2,
          count: 2,
          maxUnavailable: 1,
          ...FAST,
          pollIntervalMs: 1_000,
          timeouts: { ...FAST.timeouts, healthy: 30_000 },
        },
        { api: h.api, clock: h.clock, onEvent: h.onEvent },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StateTimeoutError);
      expect((error as StateTimeoutError).unit).toBe('web@1.service');
      expect(h.events.some((e) => e.type === 'instance-healthy')).toBe(false);
      expect(
        h.sim.cluster.timeline.events.some(
          (e) => e.time >= from && e.unit === 'web@2.service' && e.kind === 'destroyed',
        ),
      ).toBe(false);
      expect(runningWith(h.sim, 'web', H1)).toEqual(['web@2.service']);
    } finally {
      await h.close();
    }
  });
});
