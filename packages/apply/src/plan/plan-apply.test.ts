import type { Unit, UnitOption } from '@fleet-service/fleet-client';
import { unitHash } from '@fleet-service/fleet-client';
import { type ClusterObservation, recordUnitName } from '@fleet-service/rollout';
import { describe, expect, it } from 'vitest';
import type { DesiredService, DesiredState } from '../desired.js';
import { planApply, servicesInCluster } from './plan-apply.js';

const opts = (v: string): UnitOption[] => [
  { section: 'Service', name: 'ExecStart', value: '/bin/app' },
  { section: 'Service', name: 'Environment', value: `V=${v}` },
];

function template(
  service: string,
  v: string,
  count: number,
  extra: Partial<DesiredService> = {},
): DesiredService {
  return {
    service,
    kind: 'template',
    name: `${service}@.service`,
    count,
    unitFile: opts(v),
    unitSource: `${service}@.service`,
    desiredState: 'launched',
    strategy: {},
    at: { file: 'services.yaml' },
    ...extra,
  };
}

const desired = (...services: DesiredService[]): DesiredState => ({
  source: 'services.yaml',
  services,
  unchanged: false,
});

/** A service running `count` instances of version `v`, with fs's record unit. */
function running(
  service: string,
  v: string,
  count: number,
  machine = 'm1',
): { units: Unit[]; states: ClusterObservation['states'] } {
  const options = opts(v);
  const hash = unitHash(options);
  const units: Unit[] = [
    { name: `${service}@.service`, options, desiredState: 'inactive', currentState: 'inactive' },
    {
      name: recordUnitName(service),
      options: [{ section: 'X-Fs-Record', name: 'Status', value: 'succeeded' }],
      desiredState: 'inactive',
      currentState: 'inactive',
    },
  ];
  const states: ClusterObservation['states'] = [];
  for (let i = 1; i <= count; i++) {
    units.push({
      name: `${service}@${i}.service`,
      options,
      desiredState: 'launched',
      currentState: 'launched',
      machineID: machine,
    });
    states.push({
      name: `${service}@${i}.service`,
      hash,
      machineID: machine,
      systemdLoadState: 'loaded',
      systemdActiveState: 'active',
      systemdSubState: 'running',
    });
  }
  return { units, states };
}

function observation(
  ...parts: { units: Unit[]; states: ClusterObservation['states'] }[]
): ClusterObservation {
  return { units: parts.flatMap((p) => p.units), states: parts.flatMap((p) => p.states), machines: [] };
}

describe('planApply', () => {
  it('gives each service its action and phase, from one observation', () => {
    const obs = observation(
      running('same', '1', 2),
      running('newer', '1', 2),
      running('more', '1', 2),
      running('fewer', '1', 3),
    );
    const plan = planApply(
      desired(
        template('fresh', '1', 2),
        template('same', '1', 2),
        template('newer', '2', 2),
        template('more', '1', 4),
        template('fewer', '1', 1),
      ),
      obs,
    );
    expect(plan.services.map((s) => [s.service, s.action, s.phase])).toEqual([
      ['fresh', 'create', 1],
      ['same', 'unchanged', 0],
      ['newer', 'update', 2],
      ['more', 'scale-up', 1],
      ['fewer', 'scale-down', 3],
    ]);
    expect(plan.summary).toEqual({
      create: 1,
      'scale-up': 1,
      update: 1,
      'scale-down': 1,
      unchanged: 1,
      remove: 0,
      missing: 0,
    });
    // the engine's own plan inside: only the two instances of `newer` and its template are replaced
    const newer = plan.services.find((s) => s.service === 'newer')!;
    expect(newer.plan!.steps.map((s) => `${s.action} ${s.unit}`)).toEqual([
      'replace newer@.service',
      'replace newer@1.service',
      'replace newer@2.service',
    ]);
  });

  it('says when an update is all at once', () => {
    const plan = planApply(
      desired(
        template('web', '2', 2, {
          sequentialDeployment: false,
          strategy: { maxUnavailable: 2, allowOutage: true },
        }),
      ),
      observation(running('web', '1', 2)),
    );
    expect(plan.services[0]!.notes).toContain(
      'sequentialDeployment: false — every instance is replaced at once: NOT zero-downtime',
    );
    expect(plan.services[0]!.plan!.steps.filter((s) => s.batch === 2).map((s) => s.unit)).toEqual([
      'web@1.service',
      'web@2.service',
    ]);
  });

  it('reports services missing from the file; removes them only with prune, when managed, unless protected', () => {
    const manual: Unit = {
      name: 'manual.service',
      options: opts('1'),
      desiredState: 'launched',
      currentState: 'launched',
    };
    const obs = observation(running('keep', '1', 1), running('old', '1', 2), running('deployer', '1', 1), {
      units: [manual],
      states: [],
    });
    const d = desired(template('keep', '1', 1));
    expect(
      planApply(d, obs)
        .services.filter((s) => s.kind === 'orphan')
        .map((s) => [s.service, s.action]),
    ).toEqual([
      ['old', 'missing'],
      ['deployer', 'missing'],
      ['manual', 'missing'],
    ]);
    const pruned = planApply(d, obs, { prune: true, protect: ['deployer@*'] });
    expect(
      pruned.services
        .filter((s) => s.kind === 'orphan')
        .map((s) => [s.service, s.action, s.protectedBy ?? s.managed]),
    ).toEqual([
      ['old', 'remove', true],
      ['deployer', 'missing', 'deployer@*'],
      ['manual', 'missing', false],
    ]);
    const old = pruned.services.find((s) => s.service === 'old')!;
    expect(old.plan!.steps.map((s) => s.unit)).toEqual([
      'old@2.service',
      'old@1.service',
      'old@.service',
      recordUnitName('old'),
    ]);
  });

  it('refuses a plan that removes every service fs manages, unless allowEmpty', () => {
    const obs = observation(running('a', '1', 1), running('b', '1', 1));
    expect(() => planApply(desired(template('c', '1', 1)), obs, { prune: true })).toThrow(
      /would remove every service fs manages \(a, b\)/,
    );
    expect(
      planApply(desired(template('c', '1', 1)), obs, { prune: true, allowEmpty: true }).summary.remove,
    ).toBe(2);
  });

  it('groups the cluster’s units by service, leaving fs’s own units out', () => {
    const units = [
      ...running('web', '1', 1).units,
      { name: 'backup.timer' } as Unit,
      { name: 'web.service' } as Unit,
    ];
    expect([...servicesInCluster(units)].map(([k, v]) => [k, v.map((u) => u.name)])).toEqual([
      ['web', ['web@.service', 'web@1.service', 'web.service']],
      ['backup.timer', ['backup.timer']],
    ]);
  });
});
