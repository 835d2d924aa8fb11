import type { Unit, UnitOption, UnitState } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { unitHash } from './fleet-helpers.js';
import type { PlanStep } from './plan.js';
import { planRollout } from './planner.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { RolloutSpec } from './spec.js';
import { planTeardown } from './teardown.js';

const OLD: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web --v1' }];
const NEW: UnitOption[] = [{ section: 'Service', name: 'ExecStart', value: '/bin/web --v2' }];
const H_OLD = unitHash(OLD);
const H_NEW = unitHash(NEW);
const M = ['m1', 'm2', 'm3'];

interface Inst {
  name: string;
  options?: UnitOption[];
  machine?: string;
  running?: boolean;
  desired?: Unit['desiredState'];
}

function snapshot(insts: Inst[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const units: Unit[] = [];
  const states: UnitState[] = [];
  for (const i of insts) {
    const options = i.options ?? OLD;
    const template = i.name.includes('@.');
    const running = !template && (i.running ?? true);
    units.push({
      name: i.name,
      options,
      desiredState: i.desired ?? (template ? 'inactive' : 'launched'),
      currentState: running ? 'launched' : 'inactive',
      ...(running ? { machineID: i.machine ?? 'm1' } : {}),
    });
    if (running) {
      states.push({
        name: i.name,
        machineID: i.machine ?? 'm1',
        hash: unitHash(options),
        systemdLoadState: 'loaded',
        systemdActiveState: 'active',
        systemdSubState: 'running',
      });
    }
  }
  return { service: 'web', units, states, serverVersion: '1.0.0', ...extra };
}

/** Expected steps, numbered in order. */
function steps(...list: Omit<PlanStep, 'id'>[]): PlanStep[] {
  return list.map((s, k) => ({ id: k + 1, ...s }));
}
const tpl = (batch: number, fromHash?: string): Omit<PlanStep, 'id'> =>
  fromHash
    ? {
        batch,
        action: 'replace',
        role: 'template',
        unit: 'web@.service',
        reason: 'template-changed',
        fromHash,
        toHash: H_NEW,
        desiredState: 'inactive',
      }
    : {
        batch,
        action: 'create',
        role: 'template',
        unit: 'web@.service',
        reason: 'template-missing',
        toHash: H_NEW,
        desiredState: 'inactive',
      };
const create = (
  batch: number,
  index: number,
  role: 'instance' | 'surge' = 'instance',
): Omit<PlanStep, 'id'> => ({
  batch,
  action: 'create',
  role,
  unit: `web@${index}.service`,
  index,
  reason: role === 'surge' ? 'surge-spare' : 'scale-up',
  toHash: H_NEW,
  desiredState: 'launched',
});
const replace = (
  batch: number,
  index: number,
  machineID = 'm1',
  extra: Partial<PlanStep> = {},
): Omit<PlanStep, 'id'> => ({
  batch,
  action: 'replace',
  role: 'instance',
  unit: `web@${index}.service`,
  index,
  reason: 'hash-changed',
  fromHash: H_OLD,
  toHash: H_NEW,
  desiredState: 'launched',
  machineID,
  mode: 'in-place',
  ...extra,
});
const destroy = (
  batch: number,
  unit: string,
  role: PlanStep['role'],
  reason: PlanStep['reason'],
  extra: Partial<PlanStep> = {},
): Omit<PlanStep, 'id'> => {
  const index = /@(\d+)\./.exec(unit)?.[1];
  return {
    batch,
    action: 'destroy',
    role,
    unit,
    ...(index ? { index: Number(index) } : {}),
    reason,
    fromHash: H_OLD,
    ...extra,
  };
};

const base: RolloutSpec = { service: 'web', unitFile: NEW };
const oldService = (n: number, machine = (i: number) => M[(i - 1) % 3]!): Inst[] => [
  { name: 'web@.service' },
  ...Array.from({ length: n }, (_, k) => ({ name: `web@${k + 1}.service`, machine: machine(k + 1) })),
];

interface Case {
  name: string;
  spec: Partial<RolloutSpec>;
  insts: Inst[];
  extra?: Partial<ClusterSnapshot>;
  steps: PlanStep[];
  unchanged?: string[];
  summary?: Partial<ReturnType<typeof planRollout>['summary']>;
}

const cases: Case[] = [
  {
    name: 'fresh create: template, then indexes 1..N together (adding takes no capacity away)',
    spec: {},
    insts: [],
    steps: steps(tpl(1), create(2, 1), create(2, 2), create(2, 3)),
    summary: { create: 3, replace: 0, unchanged: 0, templateChanged: true, batches: 2 },
  },
  {
    name: 'fresh create is one batch whatever maxUnavailable, maxSurge and machineAware say',
    spec: { count: 4, maxSurge: 1, machineAware: true },
    insts: [],
    steps: steps(tpl(1), create(2, 1), create(2, 2), create(2, 3), create(2, 4)),
    summary: { create: 4, surge: 0, batches: 2 },
  },
  {
    name: 'fresh create, N = 1',
    spec: { count: 1 },
    insts: [],
    steps: steps(tpl(1), create(2, 1)),
    summary: { create: 1, batches: 2 },
  },
  {
    name: 'no change: empty plan',
    spec: {},
    insts: oldService(3).map((i) => ({ ...i, options: NEW })),
    steps: [],
    unchanged: ['web@1.service', 'web@2.service', 'web@3.service'],
    summary: { create: 0, replace: 0, unchanged: 3, remove: 0, templateChanged: false, batches: 0 },
  },
  {
    name: 'one changed: only that instance is replaced (template already new)',
    spec: {},
    insts: [
      { name: 'web@.service', options: NEW },
      { name: 'web@1.service', options: NEW, machine: 'm1' },
      { name: 'web@2.service', machine: 'm2' },
      { name: 'web@3.service', options: NEW, machine: 'm3' },
    ],
    steps: steps(replace(1, 2, 'm2')),
    unchanged: ['web@1.service', 'web@3.service'],
  },
  {
    name: 'all changed, numeric order (@2 before @10)',
    spec: { count: 10 },
    insts: oldService(10),
    steps: steps(tpl(1, H_OLD), ...Array.from({ length: 10 }, (_, k) => replace(k + 2, k + 1, M[k % 3]))),
  },
  {
    name: 'scale up: new indexes first, together, then replacements one at a time',
    spec: { count: 4 },
    insts: oldService(2),
    steps: steps(tpl(1, H_OLD), create(2, 3), create(2, 4), replace(3, 1, 'm1'), replace(4, 2, 'm2')),
  },
  {
    name: 'scale up with the template and instances already new: only the new indexes, one batch',
    spec: { count: 5 },
    insts: oldService(2).map((i) => ({ ...i, options: NEW })),
    steps: steps(create(1, 3), create(1, 4), create(1, 5)),
    unchanged: ['web@1.service', 'web@2.service'],
    summary: { create: 3, batches: 1 },
  },
  {
    name: 'scale up with surge (README worked example, count 6): new indexes together, spare above them',
    spec: { count: 6, maxSurge: 1, maxUnavailable: 1 },
    insts: oldService(4),
    steps: steps(
      tpl(1, H_OLD),
      create(2, 5),
      create(2, 6),
      create(3, 7, 'surge'),
      replace(3, 1, 'm1'),
      replace(4, 2, 'm2'),
      replace(4, 3, 'm3'),
      replace(5, 4, 'm1'),
      destroy(6, 'web@7.service', 'surge', 'surge-done', { fromHash: H_NEW }),
    ),
    summary: { create: 2, surge: 1, replace: 4, batches: 6 },
  },
  {
    name: 'scale down: indexes above N removed last, highest first',
    spec: { count: 2 },
    insts: oldService(4).map((i) => ({ ...i, options: NEW })),
    steps: steps(
      destroy(1, 'web@4.service', 'extra', 'above-count', { fromHash: H_NEW, machineID: 'm1' }),
      destroy(2, 'web@3.service', 'extra', 'above-count', { fromHash: H_NEW, machineID: 'm3' }),
    ),
    unchanged: ['web@1.service', 'web@2.service'],
  },
  {
    name: 'foreign units are ignored; S.service and non-indexed instances go after capacity',
    spec: { count: 1 },
    insts: [
      { name: 'web.service' },
      { name: 'web@blue.service' },
      { name: 'webapp@1.service' },
      { name: 'web2.service' },
      { name: 'web.fs-lock.service', running: false },
      { name: 'other@.service' },
    ],
    steps: steps(
      tpl(1),
      create(2, 1),
      destroy(3, 'web.service', 'non-instanced', 'non-instanced'),
      destroy(3, 'web@blue.service', 'non-indexed', 'non-indexed'),
    ),
  },
  {
    name: 'surge: spare above every index first, removed at the end',
    spec: { count: 3, maxSurge: 1 },
    insts: oldService(3),
    steps: steps(
      tpl(1, H_OLD),
      create(2, 4, 'surge'),
      replace(3, 1, 'm1'),
      replace(4, 2, 'm2'),
      replace(5, 3, 'm3'),
      destroy(6, 'web@4.service', 'surge', 'surge-done', { fromHash: H_NEW }),
    ),
    summary: { surge: 1, remove: 0 },
  },
  {
    name: 'N = 1 with surge: no downtime',
    spec: { count: 1, maxSurge: 1 },
    insts: oldService(1),
    steps: steps(
      tpl(1, H_OLD),
      create(2, 2, 'surge'),
      replace(3, 1, 'm1'),
      destroy(4, 'web@2.service', 'surge', 'surge-done', { fromHash: H_NEW }),
    ),
  },
  {
    name: 'N = 1 without surge: replaced in place of itself',
    spec: { count: 1 },
    insts: oldService(1),
    steps: steps(tpl(1, H_OLD), replace(2, 1, 'm1')),
  },
  {
    name: 'batch > 1: maxUnavailable 2',
    spec: { count: 5, maxUnavailable: 2 },
    insts: oldService(5),
    steps: steps(
      tpl(1, H_OLD),
      replace(2, 1, 'm1'),
      replace(2, 2, 'm2'),
      replace(3, 3, 'm3'),
      replace(3, 4, 'm1'),
      replace(4, 5, 'm2'),
    ),
  },
  {
    name: 'machine-aware: one per machine per batch, finish a machine first',
    spec: { count: 4, maxUnavailable: 2, machineAware: true },
    insts: oldService(4, (i) => (i <= 2 ? 'mA' : 'mB')),
    steps: steps(
      tpl(1, H_OLD),
      replace(2, 1, 'mA'),
      replace(2, 3, 'mB'),
      replace(3, 2, 'mA'),
      replace(3, 4, 'mB'),
    ),
  },
  {
    name: 'machine-aware, batch 1: machine by machine',
    spec: { count: 4, machineAware: true },
    insts: oldService(4, (i) => (i % 2 === 1 ? 'mA' : 'mB')),
    steps: steps(
      tpl(1, H_OLD),
      replace(2, 1, 'mA'),
      replace(3, 3, 'mA'),
      replace(4, 2, 'mB'),
      replace(5, 4, 'mB'),
    ),
  },
  {
    name: 'template-only change: instances untouched',
    spec: {},
    insts: [
      { name: 'web@.service' },
      ...oldService(3)
        .slice(1)
        .map((i) => ({ ...i, options: NEW })),
    ],
    steps: steps(tpl(1, H_OLD)),
    unchanged: ['web@1.service', 'web@2.service', 'web@3.service'],
  },
  {
    name: 'force replaces instances with the same hash',
    spec: { count: 2, force: true },
    insts: oldService(2).map((i) => ({ ...i, options: NEW })),
    steps: steps(
      replace(1, 1, 'm1', { reason: 'forced', fromHash: H_NEW }),
      replace(2, 2, 'm2', { reason: 'forced', fromHash: H_NEW }),
    ),
  },
  {
    name: 'resume: new-hash instance not running is started, not recreated; down old ones go first',
    spec: { count: 3 },
    insts: [
      { name: 'web@.service', options: NEW },
      { name: 'web@1.service', options: NEW, running: false },
      { name: 'web@2.service', machine: 'm2' },
      { name: 'web@3.service', running: false },
    ],
    steps: steps(
      {
        batch: 1,
        action: 'start',
        role: 'instance',
        unit: 'web@1.service',
        index: 1,
        reason: 'not-running',
        fromHash: H_NEW,
        toHash: H_NEW,
        desiredState: 'launched',
        machineID: undefined,
      },
      replace(2, 3, undefined as unknown as string, { machineID: undefined }),
      replace(3, 2, 'm2'),
    ),
  },
  {
    name: 'resume: starts and missing indexes are one batch, ascending index, before any replacement',
    spec: { count: 5 },
    insts: [
      { name: 'web@.service', options: NEW },
      { name: 'web@1.service', machine: 'm1' },
      { name: 'web@2.service', options: NEW, running: false },
      { name: 'web@4.service', options: NEW, running: false },
    ],
    steps: steps(
      { ...create(1, 2), action: 'start', reason: 'not-running', fromHash: H_NEW, machineID: undefined },
      create(1, 3),
      { ...create(1, 4), action: 'start', reason: 'not-running', fromHash: H_NEW, machineID: undefined },
      create(1, 5),
      replace(2, 1, 'm1'),
    ),
    summary: { create: 2, start: 2, replace: 1, batches: 2 },
  },
  {
    name: 'in-place on fleet < 0.13 falls back to recreate',
    spec: { count: 1, replaceMode: 'in-place' },
    insts: [{ name: 'web@.service', options: NEW }, { name: 'web@1.service' }],
    extra: { serverVersion: '0.12.0' },
    steps: steps(replace(1, 1, 'm1', { mode: 'recreate' })),
  },
  {
    name: 'auto (the default) on fleet < 0.13 is recreate',
    spec: { count: 1 },
    insts: [{ name: 'web@.service', options: NEW }, { name: 'web@1.service' }],
    extra: { serverVersion: '0.12.0' },
    steps: steps(replace(1, 1, 'm1', { mode: 'recreate' })),
  },
  {
    name: 'auto on a server that reports no version is recreate',
    spec: { count: 1 },
    insts: [{ name: 'web@.service', options: NEW }, { name: 'web@1.service' }],
    extra: { serverVersion: undefined },
    steps: steps(replace(1, 1, 'm1', { mode: 'recreate' })),
  },
  {
    name: 'recreate asked for on fleet 1.0',
    spec: { count: 1, replaceMode: 'recreate' },
    insts: [{ name: 'web@.service', options: NEW }, { name: 'web@1.service' }],
    steps: steps(replace(1, 1, 'm1', { mode: 'recreate' })),
  },
  {
    name: 'in-place on fleet 1.0',
    spec: { count: 1, replaceMode: 'in-place' },
    insts: [{ name: 'web@.service', options: NEW }, { name: 'web@1.service' }],
    steps: steps(replace(1, 1, 'm1', { mode: 'in-place' })),
  },
];

describe('planRollout', () => {
  it('creates 1,000 new instances in one batch, ascending index (the executor bounds concurrency)', () => {
    const plan = planRollout({ ...base, count: 1_000, maxUnavailable: 2 }, snapshot([]));
    expect(plan.steps).toHaveLength(1_001);
    expect(plan.summary.batches).toBe(2);
    const instances = plan.steps.filter((s) => s.role === 'instance');
    expect(instances.every((s) => s.batch === 2 && s.action === 'create')).toBe(true);
    expect(instances.map((s) => s.index)).toEqual(Array.from({ length: 1_000 }, (_, k) => k + 1));
    expect(plan.settings.maxParallel).toBe(50);
  });

  for (const c of cases) {
    it(c.name, () => {
      const plan = planRollout({ ...base, ...c.spec }, snapshot(c.insts, c.extra));
      expect(plan.steps).toEqual(c.steps);
      expect(plan.unchanged).toEqual(c.unchanged ?? []);
      if (c.summary) expect(plan.summary).toMatchObject(c.summary);
      expect(plan.newHash).toBe(H_NEW);
      expect(JSON.parse(JSON.stringify(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
    });
  }

  it('records the previous contents (template) and a diff', () => {
    const plan = planRollout(base, snapshot(oldService(3)));
    expect(plan.previous).toEqual({ hash: H_OLD, options: OLD, count: 3 });
    expect(plan.diff).toEqual({
      from: '[Service]\nExecStart=/bin/web --v1\n',
      to: '[Service]\nExecStart=/bin/web --v2\n',
    });
  });

  it('keeps the record’s previous contents while an earlier rollout is unfinished', () => {
    const older = [{ section: 'Service', name: 'ExecStart', value: '/bin/web --v0' }];
    const plan = planRollout(
      base,
      snapshot(oldService(3), {
        record: {
          previous: { hash: unitHash(older), options: older, count: 3 },
          target: { hash: H_OLD, count: 3 },
          status: 'aborted',
          updated: 0,
        },
      }),
    );
    expect(plan.previousHash).toBe(unitHash(older));
  });

  it('without count keeps the current number of instances, and says so (defect 2: was scaled to 3)', () => {
    const plan = planRollout(base, snapshot(oldService(4)));
    expect(plan.count).toBe(4);
    expect(plan.settings.count).toBe(4);
    expect(plan.steps.filter((s) => s.action === 'destroy')).toEqual([]);
    expect(plan.summary.replace).toBe(4);
    expect(plan.notes).toContain('count 4 (kept: count not given, the service runs 4 instances)');
  });

  it('without count creates 3 instances of a new service, and says so', () => {
    const plan = planRollout(base, snapshot([]));
    expect(plan.count).toBe(3);
    expect(plan.summary.create).toBe(3);
    expect(plan.notes).toContain('count 3 (default for a new service: count not given)');
  });

  it('with count scales as asked and adds no note about it', () => {
    const plan = planRollout({ ...base, count: 2 }, snapshot(oldService(4)));
    expect(plan.count).toBe(2);
    expect(plan.notes).toEqual([]);
  });

  it('normalises the unit file as fleet stores it (trimmed, grouped by section)', () => {
    const messy: UnitOption[] = [
      { section: 'Service', name: 'ExecStart', value: ' /bin/web --v2 ' },
      { section: 'Unit', name: 'Description', value: 'web' },
      { section: 'Service', name: 'Restart', value: 'always' },
    ];
    const plan = planRollout({ ...base, unitFile: messy, count: 1 }, snapshot([]));
    expect(plan.unitFile).toEqual([
      { section: 'Service', name: 'ExecStart', value: '/bin/web --v2' },
      { section: 'Service', name: 'Restart', value: 'always' },
      { section: 'Unit', name: 'Description', value: 'web' },
    ]);
  });

  it('planTeardown: instances highest first, then S.service and non-indexed, template, record', () => {
    const snap = snapshot([...oldService(3), { name: 'web.service' }, { name: 'web@blue.service' }]);
    expect(planTeardown(snap, { batchSize: 2, includeRecord: true }).map((s) => [s.batch, s.unit])).toEqual([
      [1, 'web@3.service'],
      [1, 'web@2.service'],
      [2, 'web@1.service'],
      [3, 'web@blue.service'],
      [3, 'web.service'],
      [4, 'web@.service'],
      [5, 'web.fs-record.service'],
    ]);
  });
});
