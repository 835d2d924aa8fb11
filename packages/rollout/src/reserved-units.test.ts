import type { Unit } from '@fleet-service/fleet-client';
import { describe, expect, it } from 'vitest';
import { explainUnschedulable } from './diagnose.js';
import { lockToOptions, parseLock } from './lock.js';
import { parseRecord, recordToOptions } from './record.js';
import { lockUnitName, recordUnitName, reservedUnitOwner } from './reserved-units.js';
import type { RolloutRecord } from './snapshot.js';

describe('reserved units', () => {
  it('are named apart from the service’s own units', () => {
    expect(recordUnitName('web')).toBe('web.fs-record.service');
    expect(lockUnitName('web')).toBe('web.fs-lock.service');
    expect(reservedUnitOwner('web.fs-lock.service')).toEqual({ service: 'web', kind: 'lock' });
    expect(reservedUnitOwner('web@1.service')).toBeUndefined();
  });

  it('a record survives the round trip through unit options, and fleet’s trimming', () => {
    const record: RolloutRecord = {
      status: 'in-progress',
      updated: 42,
      owner: 'alice',
      target: { hash: 'b'.repeat(40), count: 3 },
      previous: {
        hash: 'a'.repeat(40),
        count: 2,
        options: [
          { section: 'Service', name: 'ExecStart', value: '/bin/sh -c "echo = \\"hi\\""' },
          { section: 'X-Fleet', name: 'Conflicts', value: 'web@*.service' },
        ],
      },
    };
    const unit: Unit = {
      name: recordUnitName('web'),
      options: recordToOptions('web', record).map((o) => ({ ...o, value: o.value.trim() })),
    };
    expect(parseRecord(unit)).toEqual(record);
    expect(parseRecord({ name: 'x', options: [] })).toBeUndefined();
  });

  it('a canary record keeps the contents it tried (TargetOption), for promote', () => {
    const record: RolloutRecord = {
      status: 'canary',
      updated: 7,
      target: {
        hash: 'c'.repeat(40),
        count: 3,
        options: [{ section: 'Service', name: 'Environment', value: 'VERSION=2 "quoted"' }],
      },
      previous: {
        hash: 'a'.repeat(40),
        count: 3,
        options: [{ section: 'Service', name: 'ExecStart', value: '/bin/web' }],
      },
    };
    const unit: Unit = { name: recordUnitName('web'), options: recordToOptions('web', record) };
    expect(parseRecord(unit)).toEqual(record);
    const damaged = unit.options!.map((o) => (o.name === 'TargetOption' ? { ...o, value: '[not json' } : o));
    expect(parseRecord({ ...unit, options: damaged })).toBeUndefined();
  });

  it('a lock survives the round trip', () => {
    const info = { owner: 'bob', host: 'h', pid: 7, start: 1, expiry: 2, token: 't' };
    expect(parseLock({ name: lockUnitName('web'), options: lockToOptions('web', info) })).toEqual(info);
  });
});

describe('explainUnschedulable', () => {
  const machines = [
    { id: 'a'.repeat(32), metadata: { disk: 'hdd', region: 'eu' } },
    { id: 'b'.repeat(32), metadata: { disk: 'ssd', region: 'us' } },
  ];
  it('names the metadata no machine satisfies', () => {
    const why = explainUnschedulable(
      'web@1.service',
      [{ section: 'X-Fleet', name: 'MachineMetadata', value: '"disk=ssd" "region=eu"' }],
      machines,
    );
    expect(why).toMatch(/^no machine satisfies MachineMetadata=disk=ssd region=eu/);
    expect(
      explainUnschedulable(
        'web@1.service',
        [{ section: 'X-Fleet', name: 'MachineMetadata', value: 'disk=ssd' }],
        machines,
      ),
    ).toBeUndefined();
  });
  it('expands specifiers and checks MachineID', () => {
    expect(
      explainUnschedulable(
        'web@1.service',
        [{ section: 'X-Fleet', name: 'MachineMetadata', value: 'host=%i' }],
        machines,
      ),
    ).toMatch(/MachineMetadata=host=1/);
    expect(
      explainUnschedulable(
        'web@1.service',
        [{ section: 'X-Fleet', name: 'MachineID', value: 'cccc' }],
        machines,
      ),
    ).toBe('no live machine has MachineID=cccc');
    expect(explainUnschedulable('web@1.service', [], [])).toBe('no live machine in the cluster');
  });
});
