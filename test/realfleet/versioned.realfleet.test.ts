/**
 * Issue 18 on real fleet v1.0.0: a versioned (blue-green) deploy through the engine library —
 * version b started beside version a (S-b@1..N beside S-a@1..N), capacity sampled from /state and
 * from the processes really running the whole time (never below N), a's units destroyed once b's
 * are healthy; then a failing version stopped while b keeps serving.
 */
import type { FleetClient } from '@fleet-service/fleet-client';
import {
  deployVersion,
  listVersionedUnits,
  RolledBackError,
  type VersionedSpec,
} from '@fleet-service/rollout';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bed, freshName, realClient, skipReason } from './bed.js';
import { describeSamples, QUICK, runningProcesses, sampleCapacity, version } from './rollout-kit.js';

describe.skipIf(!bed)(`versioned deploys on real fleet v1.0.0 ${skipReason ?? ''}`, () => {
  let api: FleetClient;
  beforeAll(() => {
    api = realClient({ retries: true });
  });
  afterAll(() => {
    api?.close();
  });

  const deploy = (spec: VersionedSpec) =>
    deployVersion({ ...QUICK, ...spec }, { api, host: 'realfleet-test', pid: process.pid });

  it('deploys b beside a, never below N running, then a is gone; a failing c is stopped and b keeps serving', async () => {
    const service = freshName('ver');
    const a = await deploy({ service, version: 'a', unitFile: version('a'), count: 2 });
    expect(a.outcome).toBe('succeeded');
    // both versions' instances: the kit's helpers take the service part of the name as a pattern
    const either = `${service}-[abc]`;
    const sampler = sampleCapacity(api, either, bed?.dir);
    const b = await deploy({ service, version: 'b', unitFile: version('b'), count: 2 });
    const samples = await sampler.stop();
    expect(b.outcome).toBe('succeeded');
    const seen = `samples (active in /state / processes running): ${describeSamples(samples)}`;
    expect(samples.length, seen).toBeGreaterThan(5);
    expect(Math.min(...samples.map((s) => s.state)), seen).toBeGreaterThanOrEqual(2);
    expect(Math.min(...samples.map((s) => s.running)), seen).toBeGreaterThanOrEqual(2);
    const units = await listVersionedUnits(api, service);
    expect(units.map((u) => `${u.version}/${u.instance}/${u.running}`)).toEqual(['b/1/true', 'b/2/true']);
    expect([...runningProcesses(bed!.dir, either).values()].sort()).toEqual(['b', 'b']);

    const failing = await deploy({
      service,
      version: 'c',
      unitFile: version('c', '/bin/false'),
      count: 2,
    }).catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(RolledBackError);
    const after = await listVersionedUnits(api, service);
    expect(after.map((u) => `${u.version}/${u.instance}/${u.running}`)).toEqual(['b/1/true', 'b/2/true']);
  });
});
