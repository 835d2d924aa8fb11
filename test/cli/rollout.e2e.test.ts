// The built `fs` as a real subprocess against the simulator, over a unix socket and over TCP:
// create, no-op rerun, change with zero downtime, status, machines, every output mode, destroy.
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, parseNdjson, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

const isWebInstance = (name: string) => /^web@\d+\.service$/.test(name);

describe.runIf(cliIsBuilt()).each(['unix', 'tcp'] as const)(
  'fs against the simulator over %s',
  (transport) => {
    let t: TestSim;
    let env: Record<string, string>;

    beforeAll(async () => {
      t = await startTestSim(transport);
      env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
    });
    afterAll(async () => {
      await t?.close();
    });

    function instances() {
      return t.sim.cluster
        .units()
        .filter((u) => isWebInstance(u.name))
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    }

    it("create: 3 instances launched with the file's hash; plain timestamped lines when not a TTY", async () => {
      const file = t.unitFile('web-v1.service', webUnit('v1'));
      const run = await runCli(['create', 'web', file, '--count', '3'], { env });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const hash = unitHash(parseUnitFile(webUnit('v1')));
      expect(instances().map((u) => [u.name, u.desiredState, u.hash])).toEqual([
        ['web@1.service', 'launched', hash],
        ['web@2.service', 'launched', hash],
        ['web@3.service', 'launched', hash],
      ]);
      // plain mode: ISO timestamps, no escape codes, a summary
      expect(run.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /m);
      expect(run.stdout).not.toContain('\u001b[');
      expect(run.stdout).toMatch(/web@3\.service: .*healthy/);
      expect(run.stdout).toMatch(/✔ web: succeeded in .* — 0 replaced, 0 unchanged, 3 added, 0 removed/);
    });

    it('no-op rerun: --json says unchanged, nothing is restarted', async () => {
      const file = t.unitFile('web-v1.service', webUnit('v1'));
      const before = t.sim.cluster.requests.length;
      const run = await runCli(['create', 'web', file, '--json'], { env });
      expect(run.code).toBe(0);
      const doc = parseJsonDoc(run);
      expect(doc).toMatchObject({
        ok: true,
        exitCode: 0,
        result: { outcome: 'unchanged', replaced: [], added: [] },
      });
      const touched = t.mutationsSince(before).filter((m) => /web@\d+\.service/.test(m.path));
      expect(touched).toEqual([]);
    });

    it('change: --output ndjson streams every event, then the result; capacity never drops below N-1', async () => {
      const file = t.unitFile('web-v2.service', webUnit('v2'));
      const start = t.sim.cluster.clock.now();
      const run = await runCli(['create', 'web', file, '--output', 'ndjson'], { env });
      expect(run.code).toBe(0);
      const lines = parseNdjson(run);
      const types = lines.map((l) => l.type);
      expect(types[0]).toBe('lock-acquired');
      expect(types).toContain('plan');
      expect(types.filter((x) => x === 'instance-healthy')).toHaveLength(3);
      expect(types.at(-2)).toBe('done');
      expect(lines.at(-1)).toMatchObject({
        type: 'result',
        ok: true,
        exitCode: 0,
        result: { outcome: 'succeeded' },
      });
      expect((lines.at(-1)?.result as { replaced?: string[] } | undefined)?.replaced).toEqual([
        'web@1.service',
        'web@2.service',
        'web@3.service',
      ]);
      const v2 = unitHash(parseUnitFile(webUnit('v2')));
      expect(instances().every((u) => u.hash === v2)).toBe(true);
      const end = t.sim.cluster.clock.now();
      expect(t.sim.cluster.timeline.minActive(isWebInstance, start, end)).toBeGreaterThanOrEqual(2);
    });

    it('status: services with counts (text and JSON), one service in detail', async () => {
      const all = await runCli(['status'], { env });
      expect(all.code).toBe(0);
      expect(all.stdout).toMatch(/web/);
      const one = await runCli(['status', 'web', '--json'], { env });
      expect(one.code).toBe(0);
      const doc = parseJsonDoc(one);
      expect(JSON.stringify(doc.result)).toContain('web@3.service');
      const ls = await runCli(['ls', '--json'], { env });
      expect(ls.code).toBe(0);
      expect(JSON.stringify(parseJsonDoc(ls).result)).toContain('web');
    });

    it('machines (and its alias lm): id, IP, units, metadata', async () => {
      const run = await runCli(['lm', '--json'], { env });
      expect(run.code).toBe(0);
      const machines = (
        parseJsonDoc(run).result as { machines: Array<{ id: string; primaryIP: string; units: string[] }> }
      ).machines;
      expect(machines).toHaveLength(3);
      const ids = t.sim.cluster.machines().map((m) => m.id);
      expect(machines.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(
        machines
          .flatMap((m) => m.units)
          .filter(isWebInstance)
          .sort(),
      ).toEqual(['web@1.service', 'web@2.service', 'web@3.service']);
      const text = await runCli(['machines'], { env });
      expect(text.stdout).toMatch(/^MACHINE\s+IP\s+UNITS\s+METADATA/);
    });

    it('plan / --dry-run prints the plan and the diff and changes nothing', async () => {
      const file = t.unitFile('web-v3.service', webUnit('v3'));
      const before = t.sim.cluster.requests.length;
      const run = await runCli(['plan', 'web', file], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Plan for web/);
      expect(run.stdout).toMatch(/^- Environment=VERSION=v2$/m);
      expect(run.stdout).toMatch(/^\+ Environment=VERSION=v3$/m);
      const json = await runCli(['create', 'web', file, '--dry-run', '--json'], { env });
      expect(json.code).toBe(0);
      expect(parseJsonDoc(json)).toMatchObject({
        ok: true,
        result: { dryRun: true, plan: { service: 'web' } },
      });
      expect(t.mutationsSince(before)).toEqual([]);
    });

    it('the old command line: global flags before the command', async () => {
      const file = t.unitFile('web-v2.service', webUnit('v2'));
      const run = await runCli(
        ['--fleetctl-endpoint', t.endpoint, '--timeout', '600', 'create', 'web', file, '--count', '3'],
        { env: fastEnv() },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/web: unchanged/);
    });

    it('rollback puts the previous contents back', async () => {
      const run = await runCli(['rollback', 'web', '--json'], { env });
      expect(run.code).toBe(0);
      expect(parseJsonDoc(run)).toMatchObject({ ok: true, result: { outcome: 'succeeded' } });
      const v1 = unitHash(parseUnitFile(webUnit('v1')));
      expect(instances().map((u) => u.hash)).toEqual([v1, v1, v1]);
    });

    it('destroy removes every unit of the service', async () => {
      const run = await runCli(['destroy', 'web'], { env });
      expect(run.code).toBe(0);
      expect(t.sim.cluster.units().filter((u) => u.name.startsWith('web'))).toEqual([]);
      // nothing left: no such service (exit 2), never "destroyed 1 unit(s)" for fs's own record
      const again = await runCli(['destroy', 'web'], { env });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/no such service: web/);
      expect(again.stdout).not.toMatch(/destroyed/);
    });
  },
);
