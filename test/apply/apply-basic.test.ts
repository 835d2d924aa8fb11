// fs apply's library against the simulator (manual clock) and services.yaml served over HTTP on
// loopback with ETag: create from nothing, change one version, scale, prune, plain units.
import { SourceReader } from '@fleet-service/apply';
import { recordUnitName } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { runningWith } from '../rollout/sim-harness.js';
import { type ApplyHarness, applyHarness, unitsWritten } from './apply-harness.js';
import { cocoUnit } from './source-server.js';

let h: ApplyHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const five = (versions: Record<string, string> = {}, counts: Record<string, number> = {}) =>
  NAMES.map((n) => ({ name: `${n}@.service`, version: versions[n] ?? '1.0', count: counts[n] ?? 2 }));

async function withFive(): Promise<ApplyHarness> {
  const x = await applyHarness();
  for (const n of NAMES) x.source.files.set(`${n}@.service`, cocoUnit(n));
  x.setServices(five());
  return x;
}

describe('apply: a whole cluster from services.yaml', () => {
  it('creates five services from nothing, in one observation, each rolled out by the engine', async () => {
    h = await withFive();
    const { result, requests } = await h.run();
    expect(result.ok).toBe(true);
    expect(result.services.map((s) => [s.service, s.action, s.outcome])).toEqual(
      NAMES.map((n) => [n, 'create', 'succeeded']),
    );
    for (const n of NAMES) {
      const units = h.sim.cluster.units().filter((u) => u.name.startsWith(`${n}@`));
      expect(units.map((u) => u.name).sort()).toEqual([`${n}@.service`, `${n}@1.service`, `${n}@2.service`]);
      expect(h.sim.cluster.units().some((u) => u.name === recordUnitName(n))).toBe(true);
    }
    // the version was substituted as coco did
    const opts = h.sim.cluster.units().find((u) => u.name === 'alpha@1.service')!;
    expect(JSON.stringify(opts)).toContain('DOCKER_APP_VERSION=1.0');
    // one whole-cluster listing for the plan (each service then reads its own units under its lock)
    const firstListing = requests.findIndex((r) => r.method === 'GET' && r.path.endsWith('/units'));
    expect(firstListing).toBeGreaterThanOrEqual(0);
  });

  it('a changed version rolls only that service; the others see zero mutating requests', async () => {
    h = await withFive();
    await h.run();
    h.setServices(five({ charlie: '2.0' }));
    const { result, writes } = await h.run();
    expect(result.ok).toBe(true);
    const changed = result.services.filter((s) => s.action !== 'unchanged');
    expect(changed.map((s) => [s.service, s.action, s.outcome])).toEqual([
      ['charlie', 'update', 'succeeded'],
    ]);
    expect(unitsWritten(writes).every((u) => u.startsWith('charlie'))).toBe(true);
    expect(writes.length).toBeGreaterThan(0);
  });

  it('an unchanged re-apply makes no mutating request and costs a few reads', async () => {
    h = await withFive();
    const reader = new SourceReader();
    await h.run({ reader });
    const before = h.source.requests.length;
    const { result, writes, requests } = await h.run({ reader });
    expect(result.services.every((s) => s.outcome === 'unchanged')).toBe(true);
    expect(writes).toEqual([]);
    expect(requests.length).toBeLessThanOrEqual(10);
    // every source answered 304 the second time
    expect(h.source.requests.slice(before).every((r) => r.status === 304)).toBe(true);
  });

  it('scales one service up and another down: adds first, removes last', async () => {
    h = await withFive();
    await h.run();
    h.setServices(five({}, { alpha: 4, bravo: 1 }));
    const { result, events } = await h.run();
    expect(result.ok).toBe(true);
    const byService = Object.fromEntries(result.services.map((s) => [s.service, s.action]));
    expect(byService).toMatchObject({ alpha: 'scale-up', bravo: 'scale-down', charlie: 'unchanged' });
    const started = events
      .filter((e) => e.type === 'service-started')
      .map((e) => (e as { service: string }).service);
    expect(started).toEqual(['alpha', 'bravo']);
    expect(h.sim.cluster.units().filter((u) => /^alpha@\d/.test(u.name))).toHaveLength(4);
    expect(h.sim.cluster.units().filter((u) => /^bravo@\d/.test(u.name))).toHaveLength(1);
  });

  it('a service left out of the file is reported, and removed only with prune', async () => {
    h = await withFive();
    await h.run();
    h.setServices(five().filter((e) => e.name !== 'echo@.service'));
    const kept = await h.run();
    expect(kept.result.services.find((s) => s.service === 'echo')).toMatchObject({
      action: 'missing',
      outcome: 'left-alone',
    });
    expect(kept.writes).toEqual([]);
    const protectedRun = await h.run({ prune: true, protect: ['echo@*'] });
    expect(protectedRun.result.plan.services.find((s) => s.service === 'echo')).toMatchObject({
      action: 'missing',
      protectedBy: 'echo@*',
    });
    expect(protectedRun.writes).toEqual([]);
    const pruned = await h.run({ prune: true });
    expect(pruned.result.services.find((s) => s.service === 'echo')).toMatchObject({
      action: 'remove',
      outcome: 'removed',
    });
    expect(h.sim.cluster.units().filter((u) => u.name.startsWith('echo'))).toEqual([]);
    expect(unitsWritten(pruned.writes).every((u) => u.startsWith('echo'))).toBe(true);
  });

  it('never prunes a unit fs does not manage, and refuses to remove every service', async () => {
    h = await withFive();
    await h.run();
    await h.api.createUnit({
      name: 'manual.service',
      options: [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }],
      desiredState: 'launched',
    });
    const r = await h.run({ prune: true });
    expect(r.result.plan.services.find((s) => s.service === 'manual')).toMatchObject({
      action: 'missing',
      managed: false,
    });
    expect(h.sim.cluster.units().some((u) => u.name === 'manual.service')).toBe(true);
    h.setServices([{ name: 'other@.service', version: '1', count: 1 }]);
    h.source.files.set('other@.service', cocoUnit('other'));
    const refused = await h.run({ prune: true }).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ERR_APPLY_EMPTY');
  });

  it('a plain unit (count 0, no @) is created, updated and given its desiredState', async () => {
    h = await applyHarness();
    h.source.files.set('deployer.service', cocoUnit('deployer'));
    h.source.files.set('cleanup.timer', '[Timer]\nOnCalendar=hourly\n');
    h.setServices([
      { name: 'deployer.service', version: '1' },
      { name: 'cleanup.timer', desiredState: 'loaded' },
    ]);
    const first = await h.run();
    expect(first.result.services.map((s) => [s.service, s.action, s.outcome])).toEqual([
      ['deployer', 'create', 'succeeded'],
      ['cleanup.timer', 'create', 'succeeded'],
    ]);
    expect(h.sim.cluster.units().find((u) => u.name === 'cleanup.timer')?.desiredState).toBe('loaded');
    h.setServices([
      { name: 'deployer.service', version: '2' },
      { name: 'cleanup.timer', desiredState: 'loaded' },
    ]);
    const second = await h.run();
    expect(second.result.services.map((s) => [s.service, s.action])).toEqual([
      ['deployer', 'update'],
      ['cleanup.timer', 'unchanged'],
    ]);
    expect(JSON.stringify(h.sim.cluster.units().find((u) => u.name === 'deployer.service'))).toContain(
      'DOCKER_APP_VERSION=2',
    );
  });

  it('a sidekick is updated with its main instance, same index, same machine', async () => {
    h = await applyHarness();
    h.source.files.set('web@.service', cocoUnit('web'));
    h.source.files.set(
      'web-sidekick@.service',
      '[Unit]\nDescription=web sidekick %i\nBindsTo=web@%i.service\n\n[Service]\nExecStart=/bin/announce %i\nEnvironment="DOCKER_APP_VERSION=latest"\n\n[X-Fleet]\nMachineOf=web@%i.service\n',
    );
    h.setServices([
      { name: 'web@.service', version: '1', count: 2, sequentialDeployment: true },
      { name: 'web-sidekick@.service', version: '1', count: 2 },
    ]);
    const first = await h.run();
    expect(first.result.ok).toBe(true);
    expect(first.result.services.map((s) => s.service)).toEqual(['web']);
    const machineOf = (n: string) => h!.sim.cluster.units().find((u) => u.name === n)?.machineID;
    for (const i of [1, 2])
      expect(machineOf(`web-sidekick@${i}.service`)).toBe(machineOf(`web@${i}.service`));
    h.setServices([
      { name: 'web@.service', version: '2', count: 2, sequentialDeployment: true },
      { name: 'web-sidekick@.service', version: '2', count: 2 },
    ]);
    const second = await h.run();
    expect(second.result.ok).toBe(true);
    // each sidekick instance got its new contents inside its main instance's step
    const skUpdated = second.events.filter(
      (e) => e.type === 'step-finished' && (e as { step: { unit: string } }).step.unit.startsWith('web@'),
    );
    expect(skUpdated.length).toBeGreaterThan(0);
    for (const i of [1, 2]) {
      const sk = h.sim.cluster.units().find((u) => u.name === `web-sidekick@${i}.service`)!;
      expect(JSON.stringify(sk)).toContain('DOCKER_APP_VERSION=2');
      expect(sk.machineID).toBe(machineOf(`web@${i}.service`));
    }
    expect(
      runningWith(
        h.sim,
        'web-sidekick',
        h.sim.cluster.units().find((u) => u.name === 'web-sidekick@1.service')!.hash,
      ),
    ).toHaveLength(2);
  });
});
