// Defect 14: `--health-cmd CMD` runs per new instance with its index, unit, service, machine id
// and IP in the environment; exit 0 = healthy. A command that fails for one index stops the
// rollout with a message naming that instance, its index and the end of the command's stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIsBuilt, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { simForTests, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('--health-cmd', () => {
  const sim = simForTests('tcp');

  it('runs once an instance is active, with its index, unit, service, machine and IP in the environment', async () => {
    const seen = join(sim.t.dir, 'seen');
    const cmd = `echo "$FS_INSTANCE_INDEX $FS_UNIT $FS_SERVICE $FS_MACHINE_ID $FS_MACHINE_IP" >> '${seen}'`;
    const file = sim.t.unitFile('ok.service', webUnit('v1'));
    const run = await runCli(['create', 'ok', file, '--count', '2', '--health-cmd', cmd, '--json'], {
      env: sim.env,
    });
    expect(run.code).toBe(0);
    expect(parseJsonDoc(run)).toMatchObject({ ok: true, result: { outcome: 'succeeded' } });
    const machines = new Map(sim.t.sim.cluster.machines().map((m) => [m.id, m.primaryIP]));
    const placed = new Map(sim.t.sim.cluster.units().map((u) => [u.name, u.machineID]));
    const lines = readFileSync(seen, 'utf8').trim().split('\n').sort();
    expect(lines).toEqual(
      [1, 2].map((i) => {
        const id = placed.get(`ok@${i}.service`)!;
        return `${i} ok@${i}.service ok ${id} ${machines.get(id)}`;
      }),
    );
  });

  it('a command that fails for one index fails the rollout, naming the instance, its index and its stderr', async () => {
    const cmd =
      'if [ "$FS_INSTANCE_INDEX" = 2 ]; then echo "no answer on $FS_MACHINE_IP:8080" >&2; exit 1; fi';
    const file = sim.t.unitFile('web.service', webUnit('v1'));
    const run = await runCli(
      ['create', 'web', file, '--count', '3', '--health-cmd', cmd, '--healthy-timeout', '600ms', '--json'],
      { env: sim.env },
    );
    const doc = parseJsonDoc(run);
    expect(run.code, JSON.stringify(doc)).toBe(5); // a check that never passes: the healthy timeout
    expect(doc.ok).toBe(false);
    const error = JSON.stringify(doc.error);
    expect(error).toMatch(/web@2\.service/);
    expect(error).toMatch(
      /exited with 1 for web@2\.service \(index 2\); stderr: no answer on 127\.0\.8\.\d+:8080/,
    );
    expect(error).not.toMatch(/web@[13]\.service \(index/);
  });

  it('refuses an empty command with exit 2', async () => {
    const file = sim.t.unitFile('x.service', webUnit('v1'));
    const run = await runCli(['create', 'x', file, '--health-cmd', ''], { env: sim.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--health-cmd: empty command/);
  });
});
