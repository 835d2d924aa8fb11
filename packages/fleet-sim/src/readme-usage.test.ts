import { createFleetClient } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { ManualClock, startFleetSim } from './index.js';

describe('README usage', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: the Usage snippet does what its comments say', async (seed) => {
    const clock = new ManualClock(0);
    const sim = await startFleetSim({ clock, machines: 3, seed });
    expect(sim.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const fleet = createFleetClient({ endpoint: sim.endpoint, retry: { limit: 0 } });
    await fleet.createUnit({
      name: 'web@1.service',
      options: [{ section: 'Service', name: 'ExecStart', value: '/usr/bin/web' }],
      desiredState: 'launched',
    });
    await clock.advance(6_000);
    expect((await fleet.getUnit('web@1.service'))?.currentState).toBe('launched');
    expect(sim.cluster.timeline.minActive((n) => n.startsWith('web@'), 0)).toBe(0);
    expect(sim.cluster.timeline.activeAt(clock.now(), (n) => n.startsWith('web@'))).toEqual([
      'web@1.service',
    ]);
    await sim.close();
  });
});
