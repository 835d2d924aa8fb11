// Issue 20 through the built `fs`: --canary stops with exit 10 and the canary in `fs status`,
// `fs promote` rolls it out; --canary with `fs rollback` throws it away; --pre-stop / --post-start
// run commands with the instance in their environment, in order; `fs plan` shows hooks, canary and
// the batch delay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { cliIsBuilt, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { simForTests, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('canary, promote, hooks', () => {
  const sim = simForTests('tcp');
  const instances = (service: string) =>
    sim.t.sim.cluster
      .units()
      .filter((u) => new RegExp(`^${service}@\\d+\\.service$`).test(u.name))
      .map((u) => [u.name, u.hash])
      .sort((a, b) => a[0]!.localeCompare(b[0]!, 'en', { numeric: true }));

  it('create --canary 1 exits 10 with the canary beside the 3; status shows it; promote rolls it out', async () => {
    const v1 = sim.t.unitFile('c1.service', webUnit('v1'));
    const v2 = sim.t.unitFile('c2.service', webUnit('v2'));
    const [h1, h2] = [unitHash(parseUnitFile(webUnit('v1'))), unitHash(parseUnitFile(webUnit('v2')))];
    expect((await runCli(['create', 'cn', v1, '--count', '3'], { env: sim.env })).code).toBe(0);

    const plan = await runCli(['plan', 'cn', v2, '--canary', '1'], { env: sim.env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/create\s+cn@4\.service\s+\(canary\)/);
    expect(plan.stdout).toMatch(/canary: cn@4\.service beside the 3 serving; then stop: fs promote cn/);

    const run = await runCli(['create', 'cn', v2, '--canary', '1', '--json'], { env: sim.env });
    expect(run.code).toBe(10);
    expect(parseJsonDoc(run)).toMatchObject({ result: { outcome: 'canary', canaries: ['cn@4.service'] } });
    expect(instances('cn')).toEqual([
      ['cn@1.service', h1],
      ['cn@2.service', h1],
      ['cn@3.service', h1],
      ['cn@4.service', h2],
    ]);
    const status = await runCli(['status', 'cn'], { env: sim.env });
    expect(status.stdout).toMatch(/cn@4\.service.* canary/);
    expect(status.stdout).toMatch(/canary: cn@4\.service — fs promote cn rolls it out/);

    const promote = await runCli(['promote', 'cn', '--json'], { env: sim.env });
    expect(promote.code).toBe(0);
    expect(parseJsonDoc(promote)).toMatchObject({ result: { outcome: 'succeeded' } });
    expect(instances('cn')).toEqual([
      ['cn@1.service', h2],
      ['cn@2.service', h2],
      ['cn@3.service', h2],
    ]);
    // nothing left to promote: a usage error
    const again = await runCli(['promote', 'cn'], { env: sim.env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cn has no canary to promote/);
  });

  it('create --canary then fs rollback removes the canary and leaves the old instances alone', async () => {
    const v1 = sim.t.unitFile('r1.service', webUnit('v1'));
    const v2 = sim.t.unitFile('r2.service', webUnit('v2'));
    const h1 = unitHash(parseUnitFile(webUnit('v1')));
    expect((await runCli(['create', 'rb', v1, '--count', '2'], { env: sim.env })).code).toBe(0);
    expect((await runCli(['create', 'rb', v2, '--canary', '1'], { env: sim.env })).code).toBe(10);
    const back = await runCli(['rollback', 'rb', '--json'], { env: sim.env });
    expect(back.code).toBe(0);
    expect(parseJsonDoc(back)).toMatchObject({ result: { outcome: 'succeeded', replaced: [] } });
    expect(instances('rb')).toEqual([
      ['rb@1.service', h1],
      ['rb@2.service', h1],
    ]);
  });

  it('--pre-stop / --post-start run in order with FS_HOOK, FS_UNIT, FS_INSTANCE_INDEX, FS_MACHINE_ID, FS_MACHINE_IP', async () => {
    const log = join(sim.t.dir, 'hooks.log');
    const cmd = `echo "$FS_HOOK $FS_UNIT $FS_INSTANCE_INDEX $FS_SERVICE $FS_MACHINE_ID $FS_MACHINE_IP" >> '${log}'`;
    const v1 = sim.t.unitFile('h1.service', webUnit('v1'));
    const v2 = sim.t.unitFile('h2.service', webUnit('v2'));
    expect((await runCli(['create', 'hk', v1, '--count', '2'], { env: sim.env })).code).toBe(0);
    const plan = await runCli(
      ['plan', 'hk', v2, '--pre-stop', cmd, '--post-start', cmd, '--batch-delay', '2s'],
      {
        env: sim.env,
      },
    );
    expect(plan.stdout).toMatch(/hooks pre-stop\+post-start \(timeout 30s\)/);
    expect(plan.stdout).toMatch(/replace\s+hk@1\.service\s+\(hash-changed\)\s+\[pre-stop, post-start\]/);
    expect(plan.stdout).toMatch(/batch 3 \(after 2s\)/);
    const run = await runCli(['create', 'hk', v2, '--pre-stop', cmd, '--post-start', cmd], { env: sim.env });
    expect(run.code, run.stderr).toBe(0);
    const ip = new Map(sim.t.sim.cluster.machines().map((m) => [m.id, m.primaryIP]));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual([
      'pre-stop hk@1.service 1 hk',
      'post-start hk@1.service 1 hk',
      'pre-stop hk@2.service 2 hk',
      'post-start hk@2.service 2 hk',
    ]);
    for (const l of lines) {
      const [, , , , machine, addr] = l.split(' ');
      expect(addr).toBe(ip.get(machine!));
    }
  });

  it('a failing --pre-stop exits 6 and takes nothing down', async () => {
    const v1 = sim.t.unitFile('p1.service', webUnit('v1'));
    const v2 = sim.t.unitFile('p2.service', webUnit('v2'));
    const h1 = unitHash(parseUnitFile(webUnit('v1')));
    expect((await runCli(['create', 'ps', v1, '--count', '2'], { env: sim.env })).code).toBe(0);
    const run = await runCli(['create', 'ps', v2, '--pre-stop', 'echo drain refused >&2; exit 3', '--json'], {
      env: sim.env,
    });
    expect(run.code).toBe(6);
    expect(JSON.stringify(parseJsonDoc(run).error)).toMatch(
      /pre-stop hook for ps@1\.service failed: command .* exited with 3 .*stderr: drain refused/,
    );
    expect(instances('ps')).toEqual([
      ['ps@1.service', h1],
      ['ps@2.service', h1],
    ]);
  });

  it('a Global=true unit: refused without --per-machine (exit 2, saying what it would do); with it, one pinned instance per machine', async () => {
    const file = sim.t.unitFile('agent.service', `${webUnit('v1')}\n[X-Fleet]\nGlobal=true\n`);
    const refused = await runCli(['create', 'agent', file], { env: sim.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Global=true .*--per-machine|perMachine/);
    expect(instances('agent')).toEqual([]);
    const plan = await runCli(['plan', 'agent', file, '--per-machine'], { env: sim.env });
    expect(plan.stdout).toMatch(/per machine: agent@1\.service → MachineID=/);
    const run = await runCli(['create', 'agent', file, '--per-machine', '--json'], { env: sim.env });
    expect(run.code, run.stderr).toBe(0);
    const machines = sim.t.sim.cluster
      .machines()
      .map((m) => m.id)
      .sort();
    const placed = sim.t.sim.cluster
      .units()
      .filter((u) => /^agent@\d+\.service$/.test(u.name))
      .map((u) => u.machineID)
      .sort();
    expect(placed).toEqual(machines);
  });
});
