/**
 * Issue 20 on real fleet v1.0.0: a canary beside the serving instances, then promote. The canary
 * run stops with outcome `canary` and the old processes keep running (sampled from the stand-in's
 * processes the whole time: never fewer than 3 old ones); promote rolls the canary's contents out
 * and removes the canary index last.
 */
import type { FleetClient } from '@fleet-service/fleet-client';
import { describeService, promoteService, rollout } from '@fleet-service/rollout';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bed, freshName, realClient, skipReason } from './bed.js';
import {
  describeSamples,
  instanceNames,
  QUICK,
  runningProcesses,
  sampleCapacity,
  version,
} from './rollout-kit.js';

describe.skipIf(!bed)(`canary → promote on real fleet v1.0.0 ${skipReason ?? ''}`, () => {
  let api: FleetClient;
  beforeAll(() => {
    api = realClient({ retries: true });
  });
  afterAll(() => {
    api?.close();
  });
  const deps = () => ({ api, host: 'realfleet-test', pid: process.pid });

  it('canary 1 of v2 beside 3 of v1 (exit outcome canary), then promote: 3 of v2, the canary index gone', async () => {
    const service = freshName('can');
    expect((await rollout({ ...QUICK, service, unitFile: version('v1'), count: 3 }, deps())).outcome).toBe(
      'succeeded',
    );
    const sampler = sampleCapacity(api, service, bed?.dir);
    const canary = await rollout({ ...QUICK, service, unitFile: version('v2'), canary: 1 }, deps());
    const samples = await sampler.stop();
    expect(canary.outcome).toBe('canary');
    expect(canary.canaries).toEqual([`${service}@4.service`]);
    // the old three kept running the whole time (the canary only adds)
    expect(Math.min(...samples.map((s) => s.running)), describeSamples(samples)).toBeGreaterThanOrEqual(3);
    const procs = runningProcesses(bed!.dir, service);
    expect([...procs.entries()].sort()).toEqual([
      [`${service}@1.service`, 'v1'],
      [`${service}@2.service`, 'v1'],
      [`${service}@3.service`, 'v1'],
      [`${service}@4.service`, 'v2'],
    ]);
    expect((await describeService(api, service)).canaries).toEqual([`${service}@4.service`]);

    const promoted = await promoteService(service, { ...deps(), spec: { ...QUICK } });
    expect(promoted.outcome).toBe('succeeded');
    expect(await instanceNames(api, service)).toEqual([1, 2, 3].map((i) => `${service}@${i}.service`));
    expect([...runningProcesses(bed!.dir, service).values()]).toEqual(['v2', 'v2', 'v2']);
  });
});
