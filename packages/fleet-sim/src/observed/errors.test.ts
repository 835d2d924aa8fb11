import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { firstSeen, pollRows, valuesOf } from '../test-helpers/observed-poller.js';
import { M1, type ObservedExchange, observedMachine, replay, send } from '../test-helpers/observed-replay.js';
import { ERRORS_EXCHANGES } from '../test-helpers/transcripts/errors-md.js';

// Replays shared/fleet-observed/errors.md (a real fleetd v1.0 with one machine) request by request
// over raw HTTP, comparing status, Server, Content-Type and the body byte for byte.

let sim: FleetSim | undefined;
let clock: ManualClock;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(): Promise<FleetSim> {
  await sim?.close();
  clock = new ManualClock(0);
  sim = await startFleetSim({ clock, machines: [observedMachine(M1, 1)] });
  return sim;
}

const step = (title: string, from = 0): number => {
  const i = ERRORS_EXCHANGES.findIndex((e, n) => n >= from && e.title === title);
  if (i < 0) throw new Error(`no step ${title}`);
  return i;
};

/** Replay steps [from, to) with a little clock time between requests, and `waits` before some titles. */
async function run(from: number, to: number, waits: Record<string, number> = {}): Promise<void> {
  for (const ex of ERRORS_EXCHANGES.slice(from, to) as ObservedExchange[]) {
    await clock.advance(waits[ex.title] ?? 10);
    await replay(sim!, ex);
  }
}

describe('fleet-observed/errors.md replayed against the simulator', () => {
  it('bad names, bad desiredState, and the §13.1 poisoning up to the manual etcd repair', async () => {
    await start();
    await run(0, step('... after the manual etcd repair'));
  });

  it('after the etcd repair: LAUNCHED poisons again; "" and {} are 409; same options + loaded is 204', async () => {
    // The transcript repaired ds-ok.service by hand in etcd (twice); a fresh cluster in the repaired state
    // stands in for that surgery.
    const repaired = async () => {
      const s = await start();
      const headers: [string, string][] = [['Content-Type', 'application/json']];
      const opts = '[{"section": "Service", "name": "ExecStart", "value": "/bin/sleep 1000"}]';
      await send(s, {
        method: 'PUT',
        path: '/fleet/v1/units/ds-new2.service',
        headers,
        body: `{"options": ${opts}}`,
      });
      await send(s, {
        method: 'PUT',
        path: '/fleet/v1/units/ds-ok.service',
        headers,
        body: `{"desiredState": "inactive", "options": ${opts}}`,
      });
    };
    await repaired();
    const repairedAt = step('... after the manual etcd repair');
    const again = step('existing unit: desiredState empty string, no options');
    await run(repairedAt, again);
    await repaired();
    await run(again, step('create template tpl@.service'));
  });

  it('templates, contents replacement (in place and reset), malformed bodies, scheduling outcomes, routes, tokens, PATCH', async () => {
    await start();
    await run(step('create template tpl@.service'), ERRORS_EXCHANGES.length, {
      'state once running': 6000,
      '... unit afterwards (new options)': 6000,
      '... unit afterwards': 6000,
      '8 s later: /units': 8000,
    });
  });

  it.each([1, 2, 3])(
    'seed %i: the replacement timelines (in place: no blip; without desiredState: inactive, then gone)',
    async (seed) => {
      await sim?.close();
      clock = new ManualClock(0);
      sim = await startFleetSim({ clock, seed, machines: [observedMachine(M1, 1)] });
      const s = sim;
      const put = (body: string) =>
        send(s, {
          method: 'PUT',
          path: '/fleet/v1/units/chg.service',
          headers: [['Content-Type', 'application/json']],
          body,
        });
      const opts = (n: number) => `[{"section": "Service", "name": "ExecStart", "value": "/bin/sleep ${n}"}]`;
      const state = (hash: string) => `loaded/active/running@${M1} ${hash}`;
      await put(`{"desiredState": "launched", "options": ${opts(1000)}}`);
      await clock.advance(6000);
      // | +0.00 | launched | launched | 2d432f4a06 active running | → | +2.01 | launched | launched | 8336903bc8 active running |
      await put(`{"desiredState": "launched", "options": ${opts(2000)}}`);
      let rows = await pollRows(s, clock, ['chg.service'], 5000);
      expect(valuesOf(rows, 'chg.service', '/units')).toEqual([
        `desired=launched current=launched machineID=${M1}`,
      ]);
      expect(valuesOf(rows, 'chg.service', '/state')).toEqual([
        state('2d432f4a06608c1a8b2848b66c836793a1d48ce6'),
        state('8336903bc89b5e2ea5adf4cf2c00cd8ab281369e'),
      ]);
      expect(firstSeen(rows, 'chg.service', '/state', '8336903bc8')).toBeLessThanOrEqual(2250);
      // | +0.00 | inactive | launched | 8336… | → | +2.01 | inactive | inactive | 8336… | → | +3.97 | inactive | inactive | (absent) |
      await put(`{"options": ${opts(3000)}}`);
      rows = await pollRows(s, clock, ['chg.service'], 6000);
      expect(valuesOf(rows, 'chg.service', '/units')).toEqual([
        `desired=inactive current=launched machineID=${M1}`,
        'desired=inactive current=inactive machineID=-',
      ]);
      expect(valuesOf(rows, 'chg.service', '/state')).toEqual([
        state('8336903bc89b5e2ea5adf4cf2c00cd8ab281369e'),
        '(absent)',
      ]);
      const inactive = firstSeen(rows, 'chg.service', '/units', 'current=inactive')!;
      const gone = firstSeen(rows, 'chg.service', '/state', '(absent)')!;
      expect(inactive).toBeLessThanOrEqual(2050);
      expect(gone).toBeGreaterThan(inactive);
      expect(gone).toBeGreaterThanOrEqual(2000);
      expect(gone).toBeLessThanOrEqual(5000);
    },
  );
});
