// Issue 11, defects 3 and 7 through the built `fs`: a lock left by a process that died on this host
// is taken over at once (one on another host is not), and a rollback that fails too says so with its
// own exit code (8) instead of ending as a plain timeout.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { createFleetClient, type FleetApi, parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { lockUnitName } from '@fleet-service/rollout';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** Writes a lock unit as another fs run would have left it (valid for 10 minutes). */
async function leaveLock(api: FleetApi, holder: { host: string; pid: number }): Promise<void> {
  const now = Date.now();
  const o = (name: string, value: string | number) => ({ section: 'X-Fs-Lock', name, value: String(value) });
  await api.createUnit({
    name: lockUnitName('web'),
    desiredState: 'inactive',
    options: [
      { section: 'Unit', name: 'Description', value: 'fs rollout lock for web (do not start)' },
      o('Owner', 'bob'),
      o('Host', holder.host),
      o('Pid', holder.pid),
      o('Start', now),
      o('Expiry', now + 600_000),
      o('Token', 'left-behind'),
    ],
  });
}

describe.runIf(cliIsBuilt())('fs: dead lock holders and failed rollbacks', () => {
  let t: TestSim;
  let api: ReturnType<typeof createFleetClient>;
  let env: Record<string, string>;
  let v1: string;
  const isWeb = (name: string) => /^web@\d+\.service$/.test(name);
  const hashes = () =>
    t.sim.cluster
      .units()
      .filter((u) => isWeb(u.name))
      .map((u) => u.hash);

  beforeAll(async () => {
    t = await startTestSim('tcp');
    api = createFleetClient({ endpoint: t.endpoint });
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
    v1 = t.unitFile('web-v1.service', webUnit('v1'));
  });
  afterAll(async () => {
    api?.close();
    await t?.close();
  });
  beforeEach(async () => {
    t.sim.cluster.clearFaults();
    const run = await runCli(['create', 'web', v1, '--count', '2', '--steal-lock', '--quiet'], { env });
    expect(run.code, run.stderr).toBe(0);
  });

  it('takes over a lock whose holder died on this host, and says so', async () => {
    await leaveLock(api, { host: hostname(), pid: deadPid() });
    const v2 = t.unitFile('web-v2.service', webUnit('v2'));
    const run = await runCli(['create', 'web', v2, '--count', '2'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/taken over from bob on .* \(its process is gone\)/);
    expect(run.stdout).toMatch(/lock released/);
    expect(await api.getUnit(lockUnitName('web'))).toBeUndefined();
  });

  it('refuses a lock held by a process on another host (it cannot be proven dead): exit 9', async () => {
    await leaveLock(api, { host: 'some-other-host', pid: deadPid() });
    const v3 = t.unitFile('web-v3.service', webUnit('v3'));
    const run = await runCli(['create', 'web', v3, '--count', '2', '--json'], { env });
    expect(run.code).toBe(9);
    const doc = parseJsonDoc(run);
    expect(JSON.stringify(doc)).toMatch(/some-other-host/);
    await api.destroyUnit(lockUnitName('web'));
  });

  it('a rollback that fails too exits 8 and names both failures', async () => {
    // the bad version never starts, and by now the old one does not either
    for (const v of ['bad', 'v1'])
      t.sim.cluster.addFault({
        kind: 'unit-start-fails',
        match: { option: { name: 'Environment', value: `VERSION=${v}` } },
      });
    const bad = t.unitFile('web-bad.service', webUnit('bad'));
    const run = await runCli(['create', 'web', bad, '--count', '2', '--on-failure', 'rollback'], { env });
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr).toMatch(/automatic rollback failed too/);
    expect(run.stderr).not.toMatch(/hint: .*fs rollback/);
    expect(run.stdout).toMatch(/the rollback failed too/);
    // nothing serves the new version: the failed instances were not left as the bad contents
    expect(hashes()).not.toContain(unitHash(parseUnitFile(webUnit('bad'))));
  });
});
