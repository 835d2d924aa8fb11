import { ProgressDeadlineError, rollout, StateTimeoutError } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, type Harness, harness, V1, V2, version } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('timeouts per state', () => {
  it('launched: an unschedulable unit fails by the deadline with a diagnosis', async () => {
    h = await harness({ machines: [{ metadata: { disk: 'hdd' } }, { metadata: { disk: 'hdd' } }] });
    const unitFile = version('1', [{ section: 'X-Fleet', name: 'MachineMetadata', value: 'disk=ssd' }]);
    const start = h.clock.now();
    const error = await rejection(
      rollout(
        { service: 'web', unitFile, count: 1, ...FAST, timeouts: { ...FAST.timeouts, launched: 20_000 } },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(StateTimeoutError);
    const e = error as StateTimeoutError;
    expect(e.phase).toBe('launched');
    expect(e.unit).toBe('web@1.service');
    expect(e.lastSeen).toMatch(/currentState=inactive machine=none/);
    expect(e.diagnosis).toMatch(/^no machine satisfies MachineMetadata=disk=ssd/);
    expect(e.message).toMatch(
      /timed out after 20000 ms waiting for web@1\.service to be launched on a machine/,
    );
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(20_000);
    expect(h.clock.now() - start).toBeLessThan(25_000);
  });

  it('healthy: a slow start runs out of timeouts.healthy, naming the last state seen', async () => {
    h = await harness({
      faults: [{ kind: 'unit-slow-start', match: { name: 'web@*.service' }, delayMs: 30_000 }],
    });
    const error = await rejection(
      rollout(
        { service: 'web', unitFile: V1, count: 1, ...FAST, timeouts: { ...FAST.timeouts, healthy: 10_000 } },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(StateTimeoutError);
    expect((error as StateTimeoutError).phase).toBe('healthy');
    expect((error as StateTimeoutError).lastSeen).toMatch(/systemd=loaded\/activating/);
  });

  it('gone: recreate waits for /state to empty, bounded by timeouts.gone', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 1, ...FAST }, { api: h.api, clock: h.clock });
    const error = await rejection(
      rollout(
        {
          service: 'web',
          unitFile: V2,
          count: 1,
          ...FAST,
          replaceMode: 'recreate',
          pollIntervalMs: 100,
          timeouts: { ...FAST.timeouts, gone: 500 },
        },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(StateTimeoutError);
    expect((error as StateTimeoutError).phase).toBe('gone');
    expect((error as StateTimeoutError).waitedFor).toBe('gone from /state');
  });

  it('stop: in-place waits for the old contents to stop, bounded by timeouts.stop', async () => {
    h = await harness();
    await rollout({ service: 'web', unitFile: V1, count: 1, ...FAST }, { api: h.api, clock: h.clock });
    const error = await rejection(
      rollout(
        {
          service: 'web',
          unitFile: V2,
          count: 1,
          ...FAST,
          replaceMode: 'in-place',
          pollIntervalMs: 100,
          timeouts: { ...FAST.timeouts, stop: 300 },
        },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(StateTimeoutError);
    expect((error as StateTimeoutError).phase).toBe('stop');
  });

  it('progress deadline: no step finished for progressDeadlineMs', async () => {
    h = await harness({
      faults: [{ kind: 'unit-slow-start', match: { name: 'web@*.service' }, delayMs: 60_000 }],
    });
    const error = await rejection(
      rollout(
        {
          service: 'web',
          unitFile: V1,
          count: 1,
          ...FAST,
          timeouts: { stop: 10_000, gone: 10_000, launched: 10_000, healthy: 10_000 },
          progressDeadlineMs: 12_000,
        },
        { api: h.api, clock: h.clock },
      ),
    );
    expect(error).toBeInstanceOf(ProgressDeadlineError);
    expect((error as ProgressDeadlineError).unit).toBe('web@1.service');
  });
});
