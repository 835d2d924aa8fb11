// Bad input: each case gets its message and exit code, and nothing that changes the cluster
// reaches fleet (all validation happens before connecting).
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('fs create: bad input never changes the cluster', () => {
  let t: TestSim;
  let good: string;
  let notFleet: Server;
  let notFleetUrl: string;

  beforeAll(async () => {
    t = await startTestSim('unix');
    good = t.unitFile('web.service', webUnit('v1'));
    notFleet = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('404 page not found\n');
    });
    await new Promise<void>((resolve) => notFleet.listen(0, '127.0.0.1', resolve));
    notFleetUrl = `http://127.0.0.1:${(notFleet.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => notFleet.close(() => resolve()));
    await t.close();
  });

  const cases: Array<{
    name: string;
    args: () => string[];
    code: number;
    message: RegExp;
    useSim?: boolean;
  }> = [
    {
      name: 'missing unit file',
      args: () => ['create', 'web', join(t.dir, 'nope.service')],
      code: 2,
      message: /does not exist/,
    },
    {
      name: 'unreadable unit file (a directory)',
      args: () => {
        mkdirSync(join(t.dir, 'dir.service'), { recursive: true });
        return ['create', 'web', join(t.dir, 'dir.service')];
      },
      code: 2,
      message: /is a directory/,
    },
    {
      name: 'malformed unit file',
      args: () => ['create', 'web', t.unitFile('bad.service', '[Service\nExecStart /bin/true\n')],
      code: 2,
      message: /cannot parse unit file/,
    },
    {
      name: 'options fleet would refuse',
      args: () => [
        'create',
        'web',
        t.unitFile(
          'refused.service',
          '[Service]\nExecStart=/bin/true\n[X-Fleet]\nGlobal=true\nMachineID=abc\n',
        ),
      ],
      code: 2,
      message: /options fleet would refuse:\n.*MachineID cannot be used with Global/,
    },
    {
      name: 'unreadable TLS file',
      args: () => [
        'create',
        'web',
        good,
        '--endpoint',
        'https://127.0.0.1:1',
        '--ca-file',
        join(t.dir, 'no-ca.pem'),
      ],
      code: 2,
      message: /--ca-file: cannot read/,
    },
    {
      name: 'invalid service name',
      args: () => ['create', 'we b/x', good],
      code: 2,
      message: /invalid service name/,
    },
    {
      name: 'service name with @',
      args: () => ['create', 'web@1', good],
      code: 2,
      message: /cannot contain "@"/,
    },
    {
      name: 'count 0',
      args: () => ['create', 'web', good, '--count', '0'],
      code: 2,
      message: /--count: 0 is out of range/,
    },
    {
      name: 'count -1',
      args: () => ['create', 'web', good, '--count=-1'],
      code: 2,
      message: /--count: -1 is out of range/,
    },
    {
      name: 'count abc',
      args: () => ['create', 'web', good, '--count', 'abc'],
      code: 2,
      message: /"abc" is not a whole number/,
    },
    {
      name: 'conflicting flags --json and --output ndjson',
      args: () => ['create', 'web', good, '--json', '--output', 'ndjson'],
      code: 2,
      message: /--json conflicts with --output ndjson/,
    },
    {
      name: 'conflicting flags --dry-run and --steal-lock',
      args: () => ['create', 'web', good, '--dry-run', '--steal-lock'],
      code: 2,
      message: /--dry-run conflicts with --steal-lock/,
    },
    {
      name: 'bad duration',
      args: () => ['create', 'web', good, '--healthy-timeout', '10 minutes'],
      code: 2,
      message: /--healthy-timeout: "10 minutes" is not a duration/,
    },
    {
      name: 'settings the engine refuses',
      args: () => ['create', 'web', good, '--min-healthy', '10m', '--healthy-timeout', '1m'],
      code: 2,
      message: /invalid rollout settings/,
    },
    {
      name: 'endpoint without a scheme',
      args: () => ['create', 'web', good, '--endpoint', 'fleet.example:49153'],
      code: 2,
      message: /endpoint/i,
    },
    {
      name: 'unreachable endpoint',
      args: () => ['create', 'web', good, '--endpoint', `unix://${join(t.dir, 'no-such.sock')}`],
      code: 3,
      message: /no-such\.sock/,
    },
    {
      name: 'endpoint that is not fleet',
      args: () => ['create', 'web', good, '--endpoint', notFleetUrl],
      code: 3,
      message: /is not a fleet API endpoint/,
    },
    { name: 'unknown flag', args: () => ['create', 'web', good, '--bogus'], code: 2, message: /bogus/ },
    { name: 'missing argument', args: () => ['create', 'web'], code: 2, message: /Missing 1 required arg/ },
  ];

  // Run concurrently (at most 5 at a time): none of them may mutate, so any mutation in the window
  // fails whichever case saw it.
  it.concurrent.each(cases)('$name → exit $code, no mutating request', async ({ args, code, message }) => {
    const before = t.sim.cluster.requests.length;
    const argv = args();
    const hasEndpoint = argv.some((a) => a.startsWith('--endpoint'));
    const run = await runCli([...argv, ...(hasEndpoint ? [] : ['--endpoint', t.endpoint])], {
      env: fastEnv(),
    });
    // text errors go to stderr; with --json the error document goes to stdout
    expect(run.stderr + run.stdout).toMatch(message);
    expect(run.code).toBe(code);
    expect(t.mutationsSince(before)).toEqual([]);
  });

  it('with --json the error is one JSON document on stdout with its code and exit code', async () => {
    const before = t.sim.cluster.requests.length;
    const run = await runCli(['create', 'web', good, '--count', '0', '--json', '--endpoint', t.endpoint]);
    expect(run.code).toBe(2);
    const doc = parseJsonDoc(run);
    expect(doc).toMatchObject({ ok: false, exitCode: 2, error: { code: 'ERR_USAGE' } });
    expect((doc.error as { message: string }).message).toMatch(/--count: 0 is out of range/);
    expect(t.mutationsSince(before)).toEqual([]);
  });

  it.runIf(process.getuid?.() !== 0)('a file without read permission is refused', async () => {
    const path = t.unitFile('secret.service', webUnit('v1'));
    chmodSync(path, 0o000);
    const run = await runCli(['create', 'web', path, '--endpoint', t.endpoint]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/permission denied/);
  });
});
