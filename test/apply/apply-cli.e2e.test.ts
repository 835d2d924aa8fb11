// `fs apply` as a subprocess (the built bin/run.js) against a sped-up simulator, services.yaml on
// disk and over HTTP: the bad-input table (exit 2, a file:line:column message, no mutating request),
// coco's Go-style command line, --dry-run, --json and --output ndjson.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliIsBuilt,
  collect,
  fastEnv,
  parseJsonDoc,
  parseNdjson,
  runCli,
  spawnCli,
} from '../cli/helpers/run-cli.js';
import { startTestSim, type TestSim } from '../cli/helpers/sim.js';
import { cocoUnit, type SourceServer, servicesYaml, startSourceServer } from './source-server.js';

/** Fast settings for a simulator on a sped-up real clock. */
const E2E_DEFAULTS = `defaults:
  minHealthy: 60ms
  pollInterval: 20ms
  timeouts: { stop: 20s, gone: 20s, launched: 20s, healthy: 20s }
`;

describe.runIf(cliIsBuilt())('fs apply (built CLI)', () => {
  let t: TestSim;
  let src: SourceServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestSim('unix');
    src = await startSourceServer({ 'web@.service': cocoUnit('web'), 'api@.service': cocoUnit('api') });
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint });
  });
  afterAll(async () => {
    await src.close();
    await t.close();
  });

  const file = (name: string, text: string) => t.unitFile(name, text);
  const yaml = (body: string) => E2E_DEFAULTS + body;

  const cases: Array<{ name: string; setup: () => string[]; message: RegExp }> = [
    {
      name: 'YAML syntax error',
      setup: () => [file('syntax.yaml', 'services:\n  - name: web@.service\n    count: [1\n')],
      message: /syntax\.yaml:\d+:\d+: /,
    },
    {
      name: 'unknown key',
      setup: () => [
        file('unknown.yaml', 'services:\n  - name: web@.service\n    count: 1\n    colour: red\n'),
      ],
      message: /unknown\.yaml:4:5: web@\.service: unknown key "colour" in services\[0\]/,
    },
    {
      name: 'duplicate service',
      setup: () => [
        file(
          'dup.yaml',
          'services:\n  - name: web@.service\n    count: 1\n  - name: web@.service\n    count: 2\n',
        ),
      ],
      message: /dup\.yaml:4:11: web@\.service: duplicate service "web" \(first listed at line 2\)/,
    },
    {
      name: 'invalid name',
      setup: () => [file('name.yaml', 'services:\n  - name: web@.bogus\n    count: 1\n')],
      message: /name\.yaml:2:11: web@\.bogus: invalid unit name/,
    },
    {
      name: 'count −1',
      setup: () => [file('neg.yaml', 'services:\n  - name: web@.service\n    count: -1\n')],
      message: /neg\.yaml:3:12: web@\.service: count: count must be ≥ 0/,
    },
    {
      name: 'count "abc"',
      setup: () => [file('abc.yaml', 'services:\n  - name: web@.service\n    count: abc\n')],
      message: /abc\.yaml:3:12: web@\.service: count: count must be a whole number/,
    },
    {
      name: 'a unit file that is 404',
      setup: () => {
        src.files.set('s404.yaml', 'services:\n  - name: gone@.service\n    count: 1\n');
        return [`${src.root}s404.yaml`];
      },
      message:
        /s404\.yaml:2:5: gone@\.service: unit file: cannot read http:\/\/127\.0\.0\.1:\d+\/gone@\.service: HTTP 404/,
    },
    {
      name: 'unreachable root URI',
      setup: () => ['--root-uri', 'http://127.0.0.1:9/'],
      message: /cannot read http:\/\/127\.0\.0\.1:9\/services\.yaml: unreachable/,
    },
    {
      name: 'malformed unit file',
      setup: () => {
        file('bad@.service', '[Service]\nExecStart /bin/true\n');
        return [file('malformed.yaml', 'services:\n  - name: bad@.service\n    count: 1\n')];
      },
      message: /bad@\.service:2: .*missing "="/,
    },
    {
      name: 'empty file',
      setup: () => [file('empty.yaml', '')],
      message: /empty\.yaml lists no service/,
    },
  ];

  it.each(cases)('bad input: $name → exit 2, a located message, no mutating request', async (c) => {
    const from = t.sim.cluster.requests.length;
    const run = await runCli(['apply', ...c.setup()], { env });
    expect(run.stderr).toMatch(c.message);
    expect(run.code).toBe(2);
    expect(t.mutationsSince(from)).toEqual([]);
  });

  it('coco’s command line: -fleetEndpoint=… -rootURI=… -destroy=true, services.yaml under the root', async () => {
    src.files.set(
      'services.yaml',
      yaml(servicesYaml([{ name: 'web@.service', version: '1.0', count: 2, sequentialDeployment: true }])),
    );
    const run = await runCli(
      ['apply', `-fleetEndpoint=${t.endpoint}`, `-rootURI=${src.root}`, '-destroy=true', '--json'],
      { env: { ...env, FLEETCTL_ENDPOINT: 'unix:///nonexistent.sock' } },
    );
    expect(run.stderr).toBe('');
    const doc = parseJsonDoc(run);
    expect(doc).toMatchObject({ ok: true, exitCode: 0 });
    const result = doc.result as { services: { service: string; outcome: string }[] };
    expect(result.services).toEqual([expect.objectContaining({ service: 'web', outcome: 'succeeded' })]);
    expect(t.sim.cluster.units().filter((u) => /^web@\d/.test(u.name))).toHaveLength(2);
  });

  it('--dry-run prints the whole-cluster plan with the unit diff and changes nothing', async () => {
    src.files.set(
      'services.yaml',
      yaml(
        servicesYaml([
          { name: 'web@.service', version: '2.0', count: 2, sequentialDeployment: true },
          { name: 'api@.service', version: '1.0', count: 1 },
        ]),
      ),
    );
    const from = t.sim.cluster.requests.length;
    const run = await runCli(['apply', '--root-uri', src.root, '--dry-run'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/~ web ×2: update \(phase 2\)/);
    expect(run.stdout).toMatch(/~ api ×1: create \(phase 1\)/);
    expect(run.stdout).toMatch(/- Environment="DOCKER_APP_VERSION=1\.0"/);
    expect(run.stdout).toMatch(/\+ Environment="DOCKER_APP_VERSION=2\.0"/);
    expect(t.mutationsSince(from)).toEqual([]);
  });

  it('--output ndjson streams every event tagged with its service, then the result', async () => {
    const run = await runCli(['apply', '--root-uri', src.root, '--output', 'ndjson', '--parallel', '2'], {
      env,
    });
    expect(run.code).toBe(0);
    const events = parseNdjson(run);
    const steps = events.filter((e) => e.type === 'step-started');
    expect(new Set(steps.map((e) => e.service))).toEqual(new Set(['web', 'api']));
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, exitCode: 0 });
  });

  it('writes its own file to disk the same way (a path, relative unit URIs)', async () => {
    const dir = t.dir;
    writeFileSync(join(dir, 'plain.service'), '[Service]\nExecStart=/bin/plain\n');
    const path = file('local.yaml', yaml('services:\n  - name: plain.service\n'));
    const run = await runCli(['apply', path, '--prune', '--allow-empty'], { env });
    expect(run.code).toBe(0);
    expect(t.sim.cluster.units().some((u) => u.name === 'plain.service')).toBe(true);
  });

  it('--watch applies every interval, puts back drift, and stops cleanly on SIGTERM (exit 0, no lock left)', async () => {
    const path = file(
      'watch.yaml',
      yaml(servicesYaml([{ name: 'web@.service', version: '3.0', count: 2, sequentialDeployment: true }])),
    );
    writeFileSync(join(t.dir, 'web@.service'), cocoUnit('web'));
    const child = spawnCli(['apply', path, '--watch', '1s'], { env });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d;
    });
    const until = async (re: RegExp) => {
      for (let i = 0; i < 300 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(re);
    };
    const done = collect(child, 60_000);
    await until(/run 1 ok/);
    expect(JSON.stringify(t.sim.cluster.units().find((u) => u.name === 'web@1.service'))).toContain(
      'DOCKER_APP_VERSION=3.0',
    );
    const { createFleetClient } = await import('@fleet-service/fleet-client');
    const api = createFleetClient({ endpoint: t.endpoint });
    await api.destroyUnit('web@2.service');
    api.close();
    await until(/web: drift — web@2\.service differ from the file; putting them back/);
    for (let i = 0; i < 300 && !t.sim.cluster.units().some((u) => u.name === 'web@2.service'); i++)
      await new Promise((r) => setTimeout(r, 50));
    await until(/run [2-9]\d* ok/);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(t.sim.cluster.units().some((u) => u.name === 'web@2.service')).toBe(true);
    expect(t.sim.cluster.units().some((u) => u.name.includes('fs-lock'))).toBe(false);
  });

  it('fs apply --help explains the format with a complete services.yaml that applies as shown', async () => {
    const help = await runCli(['apply', '--help'], { env });
    expect(help.code).toBe(0);
    const example = /\n {2}(\{defaults:[\s\S]*?)\n\n/.exec(help.stdout)?.[1]?.replace(/\n {2}/g, '\n');
    expect(example).toBeDefined();
    const dir = join(t.dir, 'help-example');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'units'), { recursive: true });
    writeFileSync(join(dir, 'services.yaml'), example!);
    writeFileSync(join(dir, 'web@.service'), cocoUnit('web'));
    writeFileSync(
      join(dir, 'web-sidekick@.service'),
      '[Service]\nExecStart=/bin/sidekick %i\n\n[X-Fleet]\nMachineOf=web@%i.service\n',
    );
    writeFileSync(join(dir, 'units', 'deployer.service'), cocoUnit('deployer'));
    const run = await runCli(['apply', join(dir, 'services.yaml'), '--dry-run'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/web ×3: (create|update)/);
    expect(run.stdout).toMatch(/deployer ×1: create/);
  });
});
