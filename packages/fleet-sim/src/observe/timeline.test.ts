import { unitHash } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { fixture, svc } from '../test-helpers/sim-fixture.js';
import { SimTimeline } from './timeline.js';

describe('Timeline queries', () => {
  it('activeAt and minActive are exact over hand-made change points', () => {
    const t = new SimTimeline(() => 100);
    const sd = (time: number, unit: string, machineID: string, to: string, hash = 'h1') =>
      t.record({ time, unit, machineID, kind: 'systemd', to, hash });
    sd(10, 'web@1.service', 'm1', 'loaded/active/running');
    sd(10, 'web@2.service', 'm2', 'loaded/active/running');
    sd(20, 'web@1.service', 'm1', 'loaded/deactivating/stop-sigterm');
    sd(20, 'web@3.service', 'm3', 'loaded/active/running', 'h2'); // same instant: no dip
    sd(30, 'web@2.service', 'm2', 'loaded/failed/failed');
    sd(40, 'web@2.service', 'm2', 'loaded/active/running', 'h2');
    sd(40, 'db.service', 'm1', 'loaded/active/running');
    const web = (n: string) => n.startsWith('web@');
    expect(t.activeAt(15, web)).toEqual(['web@1.service', 'web@2.service']);
    expect(t.activeAt(35, web)).toEqual(['web@3.service']);
    expect(t.minActive(web, 10, 25)).toBe(2);
    expect(t.minActive(web, 10, 50)).toBe(1);
    expect(t.minActive(web, 40, 50)).toBe(2);
    expect(t.minActive(web)).toBe(0);
    expect(t.minActive(web, 20, 100, { hashes: ['h2'] })).toBe(1);
    expect(t.minActive(web, 40, 100, { hashes: ['h2'] })).toBe(2);
  });

  it('records a real cluster: an in-place replace dips the running count of the new hash', async () => {
    const f = await fixture({ machines: 3 });
    try {
      const v1 = [svc('/bin/web v1')];
      const v2 = [svc('/bin/web v2')];
      for (let i = 1; i <= 3; i++) await f.launch(`web@${i}.service`, v1);
      await f.clock.advance(8000);
      const t0 = f.clock.now();
      const web = (n: string) => n.startsWith('web@');
      expect(f.sim.cluster.timeline.activeAt(t0, web)).toHaveLength(3);
      await f.launch('web@1.service', v2);
      await f.clock.advance(8000);
      const tl = f.sim.cluster.timeline;
      expect(tl.minActive(web, t0, f.clock.now())).toBe(2);
      expect(tl.minActive(web, t0, f.clock.now(), { hashes: [unitHash(v1)] })).toBe(2);
      expect(tl.minActive(web, f.clock.now(), f.clock.now(), { hashes: [unitHash(v2)] })).toBe(1);
      const kinds = new Set(tl.events.map((e) => e.kind));
      for (const k of ['desired', 'current', 'systemd', 'hash', 'scheduled', 'state'])
        expect(kinds).toContain(k);
    } finally {
      await f.close();
    }
  });
});
