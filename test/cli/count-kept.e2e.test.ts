// Defect 2 (issue 11): `fs create` without --count on an existing 4-instance service scaled it to 3.
// The built `fs` as a subprocess against the simulator: without --count the count is kept, and the
// plan says so; --max-unavailable ≥ --count is refused (defect 10) before anything changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('fs create without --count', () => {
  let t: TestSim;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestSim('tcp');
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
  });
  afterAll(async () => {
    await t?.close();
  });

  const instances = () =>
    t.sim.cluster
      .units()
      .filter((u) => /^web@\d+\.service$/.test(u.name))
      .map((u) => u.name);

  it('keeps an existing service’s 4 instances and says so in the plan', async () => {
    const v1 = t.unitFile('web-v1.service', webUnit('v1'));
    expect((await runCli(['create', 'web', v1, '--count', '4'], { env })).code).toBe(0);
    expect(instances()).toHaveLength(4);

    const v2 = t.unitFile('web-v2.service', webUnit('v2'));
    const plan = parseJsonDoc(await runCli(['plan', 'web', v2, '--json'], { env }));
    expect(plan).toMatchObject({ ok: true, result: { plan: { count: 4 } } });
    expect((plan.result as { plan: { notes: string[] } }).plan.notes).toContain(
      'count 4 (kept: count not given, the service runs 4 instances)',
    );

    const run = await runCli(['create', 'web', v2, '--json'], { env });
    expect(parseJsonDoc(run)).toMatchObject({ ok: true, result: { outcome: 'succeeded', removed: [] } });
    expect(instances()).toHaveLength(4);
  });

  it('refuses --max-unavailable ≥ --count without --allow-outage, naming the flags (exit 2)', async () => {
    const v3 = t.unitFile('web-v3.service', webUnit('v3'));
    const before = t.sim.cluster.requests.length;
    const run = await runCli(['create', 'web', v3, '--count', '4', '--max-unavailable', '4'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-unavailable \(4\) ≥ --count \(4\)/);
    expect(run.stderr).toMatch(/--allow-outage/);
    expect(t.mutationsSince(before)).toEqual([]);
  });

  it('the same for a kept count (known only once the cluster is read): flags, not engine fields', async () => {
    const v4 = t.unitFile('web-v4.service', webUnit('v4'));
    const run = await runCli(['create', 'web', v4, '--max-unavailable', '4'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-unavailable \(4\) ≥ --count \(4\)/);
    expect(run.stderr).toMatch(/--allow-outage/);
    expect(run.stderr).not.toMatch(/maxUnavailable|allowOutage/);
    expect(instances()).toHaveLength(4);
  });
});
