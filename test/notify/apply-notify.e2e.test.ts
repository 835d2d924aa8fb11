// `fs apply … --notify …` end to end: the BUILT fs against the simulator, with a real webhook
// receiver on loopback. One notice per service that changed, each as soon as its outcome is known,
// tagged with its own service; services that did not change send nothing by default.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, fastEnv, runCli } from '../cli/helpers/run-cli.js';
import { startTestSim, type TestSim } from '../cli/helpers/sim.js';
import { type CaptureServer, startCaptureServer } from './helpers/capture-server.js';

describe.runIf(cliIsBuilt())('fs apply --notify (built CLI, simulator, real receiver)', () => {
  let t: TestSim;
  let hook: CaptureServer;
  let env: Record<string, string>;
  const services = (versions: Record<string, string>) =>
    `defaults: { minHealthy: 100ms, pollInterval: 20ms }\nservices:\n${['alpha', 'beta']
      .map((s) => `  - name: ${s}@.service\n    version: "${versions[s] ?? '1'}"\n    count: 2\n`)
      .join('')}`;

  beforeAll(async () => {
    t = await startTestSim('tcp');
    hook = await startCaptureServer();
    env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, USER: 'tester' });
    for (const s of ['alpha', 'beta'])
      t.unitFile(
        `${s}@.service`,
        `[Unit]\nDescription=${s} %i\n\n[Service]\nEnvironment=DOCKER_APP_VERSION=latest\nExecStart=/usr/bin/${s}\n`,
      );
  });
  afterAll(async () => {
    await Promise.all([t?.close(), hook?.close()]);
  });

  const apply = (yaml: string) => {
    const file = join(t.dir, 'services.yaml');
    writeFileSync(file, yaml);
    return runCli(['apply', file, '--notify', `webhook:${hook.origin}/hooks/fs`], { env });
  };

  it('one notice per service that rolled, none for the unchanged', async () => {
    const created = await apply(services({}));
    expect(created.code, created.stderr).toBe(0);
    const first = hook.requests.map((r) => JSON.parse(r.body));
    expect(first.map((b) => [b.service, b.event]).sort()).toEqual([
      ['alpha', 'succeeded'],
      ['beta', 'succeeded'],
    ]);
    expect(first.every((b) => b.action === 'apply' && b.user === 'tester')).toBe(true);

    const from = hook.requests.length;
    const changed = await apply(services({ beta: '2' }));
    expect(changed.code, changed.stderr).toBe(0);
    const second = hook.requests.slice(from).map((r) => JSON.parse(r.body));
    expect(second.map((b) => [b.service, b.event])).toEqual([['beta', 'succeeded']]);
  });

  it('a bad target is a usage error before anything in the cluster changes', async () => {
    const before = t.sim.cluster.requests.length;
    const file = join(t.dir, 'services.yaml');
    writeFileSync(file, services({ beta: '3' }));
    const run = await runCli(['apply', file, '--notify', 'smoke-signal:up'], { env });
    expect(run.code).toBe(2);
    expect(t.mutationsSince(before)).toEqual([]);
  });
});
