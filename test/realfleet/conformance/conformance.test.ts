/**
 * fleet-api.md §12 on real fleet v1.0.0 AND on fleet-sim, the same case functions (cases.ts) with
 * the same assertions: a difference shows up as a case passing on one and failing on the other.
 * The sim gets the real cluster's machines (ids, 127.0.0.i) and runs at speed 10.
 */
import { createHash } from 'node:crypto';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { wireTarget } from '../../conformance/support/wire-sim.js';
import { bed, freshName, skipReason } from '../bed.js';
import { type CaseContext, CLUSTER_CASES, type ConformanceCase, WIRE_CASES } from './cases.js';

/** The test bed's machine ids: md5("realfleet-machine-i"). */
const MACHINES = [1, 2, 3].map((i) => createHash('md5').update(`realfleet-machine-${i}`).digest('hex'));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  ms = 45_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function runCases(cases: ConformanceCase[], context: () => Omit<CaseContext, 'p'>): void {
  for (const [title, run] of cases)
    it.concurrent(title, async () => {
      await run({ ...context(), p: freshName('cf') });
    });
}

describe.skipIf(!bed)(`conformance on real fleet v1.0.0 ${skipReason ?? ''}`, () => {
  const ctx = () => ({ w: wireTarget(bed?.endpoint ?? ''), until, machines: MACHINES });
  runCases(WIRE_CASES, ctx);
  runCases(CLUSTER_CASES, ctx);
});

describe('conformance on fleet-sim (the same cases, speed 10)', () => {
  let sim: Awaited<ReturnType<typeof startFleetSim>>;
  beforeAll(async () => {
    sim = await startFleetSim({
      machines: MACHINES.map((id, i) => ({ id, primaryIP: `127.0.0.${i + 1}` })),
      speed: 10,
    });
  });
  afterAll(async () => {
    await sim.close();
  });
  const ctx = () => ({ w: wireTarget(sim.endpoint), until, machines: MACHINES });
  runCases(WIRE_CASES, ctx);
  runCases(CLUSTER_CASES, ctx);
});
