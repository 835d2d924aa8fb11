// The in-place nudge against a real simulator on loopback, on a manual clock: a desiredState-only
// PUT (what the unit already is) at each NUDGE_AFTER_MS mark while fleet has not reacted, none
// after stop(), none once aborted, and the unit's contents and state unchanged by it.
import { createFleetClient, type FleetApi, type UnitOption } from '@fleet-service/fleet-client';
import { type FleetSim, ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NUDGE_AFTER_MS, nudgeWhileIdle } from './nudge.js';

const T0 = 1_700_000_000_000;
const UNIT = 'web@1.service';
const V2: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/sleep 2' }];
let sim: FleetSim;
let api: FleetApi;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(T0);
  sim = await startFleetSim({ clock, machines: 1, seed: 1 });
  api = createFleetClient({ endpoint: sim.endpoint, clock, retry: { limit: 0 } });
  await api.createUnit({ name: UNIT, options: V2, desiredState: 'launched' });
});
afterEach(async () => {
  await sim.close();
});

/** The nudges the simulator received: PUTs of UNIT whose body carries no options. */
const nudges = () =>
  sim.cluster.requests.filter(
    (r) => r.method === 'PUT' && decodeURIComponent(r.path).endsWith(`/units/${UNIT}`) && r.time > T0,
  );

/** Advance the manual clock and let the request it triggered reach the simulator. */
async function advanceTo(ms: number) {
  await clock.advance(T0 + ms - clock.now());
  await new Promise((r) => setTimeout(r, 50));
}

describe('nudgeWhileIdle', () => {
  it('re-sends desiredState launched at each mark while not stopped, then stops', async () => {
    nudgeWhileIdle(api, clock, UNIT);
    await advanceTo(NUDGE_AFTER_MS[0]! - 1);
    expect(nudges()).toHaveLength(0);
    await advanceTo(NUDGE_AFTER_MS[0]!);
    expect(nudges()).toHaveLength(1);
    for (const [k, mark] of NUDGE_AFTER_MS.entries()) {
      await advanceTo(mark);
      expect(nudges()).toHaveLength(k + 1);
    }
    await advanceTo(NUDGE_AFTER_MS.at(-1)! + 10_000);
    expect(nudges()).toHaveLength(NUDGE_AFTER_MS.length);
    expect(nudges().every((r) => r.status === 204)).toBe(true);
    const unit = await api.getUnit(UNIT);
    expect(unit?.desiredState).toBe('launched');
    expect(unit?.options).toEqual(V2);
  });

  it('sends nothing after stop() (fleet reacted)', async () => {
    const stop = nudgeWhileIdle(api, clock, UNIT);
    await advanceTo(NUDGE_AFTER_MS[0]! - 100);
    stop();
    await advanceTo(NUDGE_AFTER_MS.at(-1)! + 1_000);
    expect(nudges()).toHaveLength(0);
  });

  it('sends nothing once the caller aborts, and ignores a failed nudge', async () => {
    const abort = new AbortController();
    nudgeWhileIdle(api, clock, 'gone@1.service', abort.signal); // 409: no such unit, ignored
    await advanceTo(NUDGE_AFTER_MS[0]!);
    const failed = sim.cluster.requests.filter((r) =>
      decodeURIComponent(r.path).endsWith('/units/gone@1.service'),
    );
    expect(failed.map((r) => r.status)).toEqual([409]);
    abort.abort();
    await advanceTo(NUDGE_AFTER_MS.at(-1)! + 1_000);
    expect(
      sim.cluster.requests.filter((r) => decodeURIComponent(r.path).endsWith('/units/gone@1.service')),
    ).toHaveLength(1);
  });
});
