import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { firstSeen, pollRows, valuesOf } from '../test-helpers/observed-poller.js';
import { M1, observedMachine, replay } from '../test-helpers/observed-replay.js';
import { LIFECYCLE_EXCHANGES } from '../test-helpers/transcripts/lifecycle-md.js';

// Replays shared/fleet-observed/lifecycle.md: every request byte for byte, and the timelines (polled
// every 50 ms as the transcript was) in the observed order and within the observed ranges.

let sim: FleetSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const HASH = 'f4ffd0e436fafdf9f8726c50307047757abb60e2';
const RUNNING = `loaded/active/running@${M1} ${HASH}`;
const DEAD = `loaded/inactive/dead@${M1} ${HASH}`;

describe('fleet-observed/lifecycle.md replayed against the simulator', () => {
  it.each([1, 2, 3, 4])(
    'seed %i: same answers, same order of transitions, timings in range',
    async (seed) => {
      const clock = new ManualClock(0);
      sim = await startFleetSim({ clock, seed, machines: [observedMachine(M1, 1)] });
      const s = sim;
      const steps = async (from: number, to: number) => {
        for (const ex of LIFECYCLE_EXCHANGES.slice(from, to)) {
          await replay(s, ex);
          await clock.advance(5);
        }
      };
      const poll = (units: string[], forMs: number) => pollRows(s, clock, units, forMs);

      // 1–2: template, two instances launched.
      await steps(0, 4);
      let rows = await poll(['foo@1.service', 'foo@2.service'], 6000);
      for (const unit of ['foo@1.service', 'foo@2.service']) {
        // Observed: inactive/- → inactive/M1 (+1.50) → launched/M1 with active/running (+3.49); never `loaded`.
        expect(valuesOf(rows, unit, '/units')).toEqual([
          'desired=launched current=inactive machineID=-',
          `desired=launched current=inactive machineID=${M1}`,
          `desired=launched current=launched machineID=${M1}`,
        ]);
        // /state: nothing, then straight to active/running (no activating/start row, as observed).
        expect(valuesOf(rows, unit, '/state')).toEqual(['(absent)', RUNNING]);
        const scheduled = firstSeen(rows, unit, '/units', `current=inactive machineID=${M1}`)!;
        expect(scheduled).toBeGreaterThanOrEqual(100);
        expect(scheduled).toBeLessThanOrEqual(1550);
        const launched = firstSeen(rows, unit, '/units', 'current=launched')!;
        const active = firstSeen(rows, unit, '/state', 'active/running')!;
        expect(launched).toBeGreaterThanOrEqual(firstSeen(rows, unit, '/state', `@${M1}`)!);
        // Issue 3 / bulk.md: PUT launched → launched and systemd active in 2.7–5.1 s.
        expect(Math.max(launched, active)).toBeGreaterThanOrEqual(2700);
        expect(Math.max(launched, active)).toBeLessThanOrEqual(5150);
      }
      await steps(4, 10);

      // 4: launched → loaded: currentState loaded (+1.03) before systemd is inactive (+1.74).
      await steps(10, 11);
      rows = await poll(['foo@1.service'], 6000);
      const loaded = firstSeen(rows, 'foo@1.service', '/units', 'current=loaded')!;
      const dead = firstSeen(rows, 'foo@1.service', '/state', DEAD)!;
      expect(valuesOf(rows, 'foo@1.service', '/units')).toEqual([
        `desired=loaded current=launched machineID=${M1}`,
        `desired=loaded current=loaded machineID=${M1}`,
      ]);
      expect(valuesOf(rows, 'foo@1.service', '/state')).toEqual([RUNNING, DEAD]);
      expect(loaded).toBeGreaterThanOrEqual(1000);
      expect(loaded).toBeLessThanOrEqual(1250);
      expect(dead).toBeGreaterThan(loaded);
      expect(dead).toBeLessThanOrEqual(5050);

      // 4b: back to launched/active (observed 1.82 s).
      await steps(11, 12);
      rows = await poll(['foo@1.service'], 6000);
      const back = Math.max(
        firstSeen(rows, 'foo@1.service', '/units', 'current=launched')!,
        firstSeen(rows, 'foo@1.service', '/state', RUNNING)!,
      );
      expect(back).toBeGreaterThanOrEqual(1000);
      expect(back).toBeLessThanOrEqual(2500);

      // 5: both → inactive: currentState inactive, no machineID (+1.19), then gone from /state (+2.97).
      await steps(12, 14);
      rows = await poll(['foo@1.service', 'foo@2.service'], 6000);
      for (const unit of ['foo@1.service', 'foo@2.service']) {
        expect(valuesOf(rows, unit, '/units')).toEqual([
          `desired=inactive current=launched machineID=${M1}`,
          'desired=inactive current=inactive machineID=-',
        ]);
        expect(valuesOf(rows, unit, '/state')).toEqual([RUNNING, '(absent)']);
        const inactive = firstSeen(rows, unit, '/units', 'current=inactive')!;
        const gone = firstSeen(rows, unit, '/state', '(absent)')!;
        expect(inactive).toBeGreaterThanOrEqual(100);
        expect(inactive).toBeLessThanOrEqual(1550);
        expect(gone).toBeGreaterThan(inactive);
        expect(gone).toBeGreaterThanOrEqual(2000);
        expect(gone).toBeLessThanOrEqual(5050);
      }
      await steps(14, 16);

      // 6: relaunch foo@2, DELETE it while launched: gone from /units at once, from /state ~5 s later.
      await steps(16, 17);
      await clock.advance(6000);
      await steps(17, 20);
      rows = await poll(['foo@2.service'], 7000);
      expect(valuesOf(rows, 'foo@2.service', '/units')).toEqual(['(absent)']);
      const vanished = firstSeen(rows, 'foo@2.service', '/state', '(absent)')!;
      expect(vanished).toBeGreaterThanOrEqual(3500);
      expect(vanished).toBeLessThanOrEqual(5100);

      // 7: deletes, empty lists.
      await steps(20, LIFECYCLE_EXCHANGES.length);
    },
  );
});
