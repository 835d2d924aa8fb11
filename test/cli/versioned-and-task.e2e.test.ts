// The built `fs` against the simulator: `fs create --versioned` (a second version beside the first,
// the first destroyed once the second runs; a bad flag combination refused before anything
// changes) and `fs task` (progress, Exited (N), exit codes, no unit left behind).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('fs create --versioned and fs task', () => {
  let t: TestSim;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestSim('tcp');
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
  });
  afterAll(async () => {
    await t?.close();
  });
  const units = (prefix: string) =>
    t.sim.cluster
      .units()
      .map((u) => u.name)
      .filter((n) => n.startsWith(prefix))
      .sort();

  it('deploys version b beside a, then a is gone; --max-surge is refused (exit 2, nothing changed)', async () => {
    const file = t.unitFile('rails.service', webUnit('x'));
    const a = await runCli(['create', 'rails', file, '--versioned', 'a', '--count', '2', '--json'], { env });
    expect(parseJsonDoc(a)).toMatchObject({ ok: true, result: { outcome: 'succeeded' } });
    const b = await runCli(['create', 'rails', file, '--versioned', 'b', '--json'], { env });
    expect(parseJsonDoc(b)).toMatchObject({ ok: true, result: { outcome: 'succeeded' } });
    expect(units('rails-')).toEqual(['rails-b@.service', 'rails-b@1.service', 'rails-b@2.service']);
    const status = await runCli(['status', 'rails'], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^b\s+1\s+rails-b@1\.service\s+launched\s+yes/m);
    const before = t.sim.cluster.requests.length;
    const refused = await runCli(['create', 'rails', file, '--versioned', 'c', '--max-surge', '1'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--versioned conflicts with --max-surge/);
    expect(t.mutationsSince(before)).toEqual([]);
  });

  it('runs a task to its end and removes its unit: 0 for success, 6 for a failure', async () => {
    const template = t.unitFile(
      'job-task.service',
      '[Service]\nExecStart={{command}}\nEnvironment=V={{version}}\n',
    );
    const ok = await runCli(['task', 'job', '--version', '1', '--template', template, '--', '/bin/true'], {
      env,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/job-task-[0-9a-f]{8}\.service: active\/exited/);
    expect(ok.stdout).toMatch(/\n\nExited \(0\)\n$/);
    const failed = await runCli(
      ['task', 'job', '--version', '1', '--template', template, '--', '/bin/false'],
      { env },
    );
    expect(failed.code).toBe(6);
    expect(failed.stdout).toMatch(/Exited \(1\)/);
    expect(units('job-task-')).toEqual([]);
  });
});
