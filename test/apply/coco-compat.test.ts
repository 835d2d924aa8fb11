// coco-fleet-deployer compatibility: its services.yaml, exactly as written in the wild (six keys,
// DOCKER_APP_VERSION=latest unit files), applies as coco would — and each of its faults is fixed.
import { loadDesiredState } from '@fleet-service/apply';
import { unitHash } from '@fleet-service/fleet-client';
import type { FaultSpec } from '@fleet-service/fleet-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { instancesOf } from '../rollout/sim-harness.js';
import { type ApplyHarness, applyHarness, FAST_DEFAULTS } from './apply-harness.js';
import { cocoUnit } from './source-server.js';

let h: ApplyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A services.yaml as coco's users wrote it (keys in coco's order, desiredState everywhere). */
const COCO_YAML = (webVersion: string, extra = '') => `services:
- name: web@.service
  version: "${webVersion}"
  count: 3
  desiredState: launched
  sequentialDeployment: true
${extra}- name: web-sidekick@.service
  count: 3
  desiredState: launched
- name: deployer.service
  count: 0
  desiredState: launched
- name: cleanup.timer
  desiredState: loaded
`;

const SIDEKICK = `[Unit]
Description=web sidekick %i
BindsTo=web@%i.service

[Service]
ExecStart=/bin/sh -c "while true; do etcdctl set /services/web/%i up --ttl 60; sleep 45; done"

[X-Fleet]
MachineOf=web@%i.service
`;

const BAD_FAILS: FaultSpec = {
  kind: 'unit-start-fails',
  match: { option: { section: 'Service', name: 'Environment', value: '*DOCKER_APP_VERSION=bad*' } },
};

async function cocoCluster(faults: FaultSpec[] = []): Promise<ApplyHarness> {
  const x = await applyHarness({ faults });
  x.source.files.set('web@.service', cocoUnit('web'));
  x.source.files.set('web-sidekick@.service', SIDEKICK);
  x.source.files.set('deployer.service', cocoUnit('deployer'));
  x.source.files.set('cleanup.timer', '[Timer]\nOnCalendar=hourly\n');
  x.source.files.set('services.yaml', FAST_DEFAULTS + COCO_YAML('1.0'));
  return x;
}

const webHashes = (x: ApplyHarness) =>
  Object.fromEntries(
    x.sim.cluster
      .units()
      .filter((u) => instancesOf('web')(u.name))
      .map((u) => [u.name, u.hash]),
  );

describe('coco-fleet-deployer compatibility', () => {
  it('reads coco’s services.yaml unchanged: templates, a sidekick, plain units, DOCKER_APP_VERSION', async () => {
    h = await cocoCluster();
    const desired = await loadDesiredState({ rootUri: h.source.root });
    expect(desired.services.map((s) => [s.service, s.kind, s.count, s.desiredState])).toEqual([
      ['web', 'template', 3, 'launched'],
      ['deployer', 'plain', 0, 'launched'],
      ['cleanup.timer', 'plain', 0, 'loaded'],
    ]);
    expect(desired.services[0]!.sidekick?.name).toBe('web-sidekick@.service');
    const env = desired.services[0]!.unitFile.find((o) => o.name === 'Environment');
    expect(env?.value).toContain('DOCKER_APP_VERSION=1.0');
    // an entry without a version keeps `latest`, as coco did
    expect(desired.services[1]!.unitFile.find((o) => o.name === 'Environment')?.value).toContain(
      'DOCKER_APP_VERSION=latest',
    );

    const { result } = await h.run();
    expect(result.ok).toBe(true);
    const names = h.sim.cluster.units().map((u) => u.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'web@1.service',
        'web@3.service',
        'web-sidekick@3.service',
        'deployer.service',
        'cleanup.timer',
      ]),
    );
  });

  it('refuses what coco skipped with a warning, naming the entry and the reason', async () => {
    h = await cocoCluster();
    h.source.files.set(
      'services.yaml',
      'services:\n- name: web@.service\n  count: 0\n- name: api.service\n  count: 2\n- name: web@1.service\n  count: 1\n',
    );
    const e = (await loadDesiredState({ rootUri: h.source.root }).catch((x: unknown) => x)) as {
      problems: { line: number; message: string }[];
    };
    expect(e.problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringMatching(/template "web@\.service" needs count ≥ 1/)],
      [4, expect.stringMatching(/"api\.service" has count 2 but is not a template/)],
      [6, expect.stringMatching(/"web@1\.service" names one instance/)],
    ]);
  });

  it('fault fixed: a failed instance stops the update (coco logged a warning and moved on to the next node)', async () => {
    h = await cocoCluster([BAD_FAILS]);
    await h.run();
    const before = webHashes(h);
    h.source.files.set('services.yaml', FAST_DEFAULTS + COCO_YAML('bad'));
    const { result } = await h.run();
    expect(result.ok).toBe(false);
    const web = result.services.find((s) => s.service === 'web')!;
    expect(web).toMatchObject({ outcome: 'failed', failureClass: 'instance-failed' });
    const after = webHashes(h);
    // only the first instance was touched; the other two still run the old contents
    expect(after['web@2.service']).toBe(before['web@2.service']);
    expect(after['web@3.service']).toBe(before['web@3.service']);
    expect(result.failureClass).toBe('instance-failed');
  });

  it('and with onFailure: rollback, the old version is put back', async () => {
    h = await cocoCluster([BAD_FAILS]);
    await h.run();
    const before = webHashes(h);
    h.source.files.set('services.yaml', FAST_DEFAULTS + COCO_YAML('bad', '  onFailure: rollback\n'));
    const { result } = await h.run();
    expect(result.services.find((s) => s.service === 'web')).toMatchObject({
      outcome: 'rolled-back',
      failureClass: 'rolled-back',
    });
    expect(webHashes(h)).toEqual(before);
  });

  it('fault fixed: a half-finished update is finished (coco compared only the first node)', async () => {
    h = await cocoCluster();
    await h.run();
    h.source.files.set('services.yaml', FAST_DEFAULTS + COCO_YAML('2.0'));
    // someone (or an interrupted deployer) updated web@1 only
    const desired = await loadDesiredState({ rootUri: h.source.root });
    const v2 = desired.services[0]!.unitFile;
    await h.api.destroyUnit('web@1.service');
    await h.api.createUnit({ name: 'web@1.service', options: v2, desiredState: 'launched' });
    const { result } = await h.run();
    const web = result.plan.services.find((s) => s.service === 'web')!;
    expect(web.action).toBe('update');
    expect(web.plan!.steps.filter((s) => s.action === 'replace').map((s) => s.unit)).toEqual([
      'web@.service',
      'web@2.service',
      'web@3.service',
    ]);
    expect(new Set(Object.values(webHashes(h)))).toEqual(new Set([unitHash(v2)]));
  });

  it('one failing service does not stop the others; with failFast the rest is not started', async () => {
    h = await cocoCluster([BAD_FAILS]);
    h.source.files.set('api@.service', cocoUnit('api'));
    const both = (web: string, api: string) =>
      `${FAST_DEFAULTS}services:\n- name: web@.service\n  version: "${web}"\n  count: 2\n- name: api@.service\n  version: "${api}"\n  count: 2\n`;
    h.source.files.set('services.yaml', both('1', '1'));
    await h.run();
    h.source.files.set('services.yaml', both('bad', '2'));
    const loose = await h.run({}, { parallel: 1 });
    expect(loose.result.services.map((s) => [s.service, s.outcome])).toEqual([
      ['web', 'failed'],
      ['api', 'succeeded'],
    ]);
    h.source.files.set('services.yaml', both('bad', '3'));
    const strict = await h.run({}, { parallel: 1, failFast: true });
    expect(strict.result.services.map((s) => [s.service, s.outcome])).toEqual([
      ['web', 'failed'],
      ['api', 'skipped'],
    ]);
    expect(strict.result.failureClass).toBe('instance-failed');
  });
});
