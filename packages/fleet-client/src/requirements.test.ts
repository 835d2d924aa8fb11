import { describe, expect, it } from 'vitest';
import {
  expandSpecifiers,
  isTruthyValue,
  parseMultivalueLine,
  parseRequirements,
  xFleetValues,
} from './requirements.js';
import type { UnitOption } from './types.js';

const x = (name: string, value: string): UnitOption => ({ section: 'X-Fleet', name, value });
const svc: UnitOption = { section: 'Service', name: 'ExecStart', value: '/bin/true' };

describe('parseRequirements', () => {
  it('gives empty requirements for a unit without [X-Fleet]', () => {
    expect(parseRequirements([svc])).toEqual({
      global: false,
      machineID: undefined,
      machineOf: [],
      conflicts: [],
      replaces: [],
      machineMetadata: {},
    });
  });

  it('reads legacy aliases after the modern keys', () => {
    const req = parseRequirements([
      x('MachineOf', 'b.service'),
      x('X-ConditionMachineOf', 'a.service'),
      x('Conflicts', 'd*'),
      x('X-Conflicts', 'c*'),
      x('MachineMetadata', 'disk=ssd'),
      x('X-ConditionMachineMetadata', 'region=us'),
    ]);
    expect(req.machineOf).toEqual(['a.service', 'b.service']);
    expect(req.conflicts).toEqual(['c*', 'd*']);
    expect(req.machineMetadata).toEqual({ region: ['us'], disk: ['ssd'] });
  });

  it('takes the first MachineID, preferring MachineID over X-ConditionMachineID over X-ConditionMachineBootID', () => {
    expect(parseRequirements([x('MachineID', 'm1'), x('MachineID', 'm2')]).machineID).toBe('m1');
    expect(
      parseRequirements([x('X-ConditionMachineBootID', 'b1'), x('X-ConditionMachineID', 'c1')]).machineID,
    ).toBe('c1');
    expect(parseRequirements([x('X-ConditionMachineID', 'c1'), x('MachineID', 'm1')]).machineID).toBe('m1');
    expect(parseRequirements([x('X-ConditionMachineBootID', 'b1')]).machineID).toBe('b1');
    expect(parseRequirements([x('MachineID', '')]).machineID).toBe('');
  });

  it('uses the last Global value with fleet truthiness', () => {
    for (const v of ['true', 'TRUE', 'yes', 'Yes', '1', 'on', 'ON', 't', 'T']) {
      expect(parseRequirements([x('Global', v)]).global).toBe(true);
    }
    for (const v of ['false', 'no', '0', 'off', 'y', 'tru', '', ' true']) {
      expect(parseRequirements([x('Global', v)]).global).toBe(false);
    }
    expect(parseRequirements([x('Global', 'true'), x('Global', 'false')]).global).toBe(false);
    expect(parseRequirements([x('Global', 'no'), x('Global', 'yes')]).global).toBe(true);
  });

  it('splits Conflicts on whitespace across lines', () => {
    expect(parseRequirements([x('Conflicts', 'a* b*\tc*'), x('Conflicts', ' d* ')]).conflicts).toEqual([
      'a*',
      'b*',
      'c*',
      'd*',
    ]);
  });

  it('splits quoted multi-value lines (§11.1)', () => {
    const req = parseRequirements([
      x('MachineMetadata', '"region=us-east-1" "diskType=SSD"'),
      x('MachineOf', '"a.service" "b.service"'),
      x('Global', '"false" "true"'),
    ]);
    expect(req.machineMetadata).toEqual({ region: ['us-east-1'], diskType: ['SSD'] });
    expect(req.machineOf).toEqual(['a.service', 'b.service']);
    expect(req.global).toBe(true);
  });

  it('ORs repeated metadata keys and ANDs different keys; ignores items not of the form k=v', () => {
    const req = parseRequirements([
      x('MachineMetadata', 'role=web'),
      x('MachineMetadata', 'role=api'),
      x('MachineMetadata', 'role=web'),
      x('MachineMetadata', 'zone=a'),
      x('MachineMetadata', 'url=http://x?a=b'), // three parts: ignored
      x('MachineMetadata', 'novalue='),
      x('MachineMetadata', '=nokey'),
      x('MachineMetadata', 'noequals'),
      x('MachineMetadata', '__proto__=x'),
    ]);
    expect(Object.keys(req.machineMetadata)).toEqual(['role', 'zone', '__proto__']);
    expect(req.machineMetadata.role).toEqual(['web', 'api']);
    expect(req.machineMetadata.zone).toEqual(['a']);
    expect(Object.getPrototypeOf(req.machineMetadata)).toBe(Object.prototype);
  });

  it('ignores keys of other sections and is case-sensitive', () => {
    const req = parseRequirements([
      { section: 'Unit', name: 'Conflicts', value: 'x.service' },
      x('conflicts', 'y*'),
      x('global', 'true'),
    ]);
    expect(req.conflicts).toEqual([]);
    expect(req.global).toBe(false);
  });

  it('expands %n %N %p %i in X-Fleet values when the unit name is given (§8)', () => {
    const options = [
      x('MachineOf', '%p.socket'),
      x('MachineMetadata', 'hostname=%i'),
      x('MachineID', '%i'),
      x('Conflicts', '%p@*.service %N.other'),
      x('Replaces', '%n.old'),
    ];
    const req = parseRequirements(options, 'web@node1.service');
    expect(req.machineOf).toEqual(['web.socket']);
    expect(req.machineMetadata).toEqual({ hostname: ['node1'] });
    expect(req.machineID).toBe('node1');
    expect(req.conflicts).toEqual(['web@*.service', 'web@node1.other']);
    expect(req.replaces).toEqual(['web@node1.service.old']);
    // without the name, values stay raw
    expect(parseRequirements(options).machineOf).toEqual(['%p.socket']);
  });
});

describe('expandSpecifiers', () => {
  it('replaces every occurrence, %N without unescaping', () => {
    expect(expandSpecifiers('%n|%N|%p|%i|%i', 'foo@bar.service')).toBe('foo@bar.service|foo@bar|foo|bar|bar');
    expect(expandSpecifiers('%p-%i', 'plain.service')).toBe('plain-');
    expect(expandSpecifiers('%N', 'a\\x2db@1.service')).toBe('a\\x2db@1');
  });
  it('leaves values alone for a name without a dot, as fleet does', () => {
    expect(expandSpecifiers('%p', 'nodot')).toBe('%p');
  });
  it('leaves other % sequences alone', () => {
    expect(expandSpecifiers('%% %x %I', 'a@b.service')).toBe('%% %x %I');
  });
});

describe('parseMultivalueLine / isTruthyValue / xFleetValues', () => {
  it('parses like fleet', () => {
    expect(parseMultivalueLine('"a=1" "b=2"')).toEqual(['a=1', 'b=2']);
    expect(parseMultivalueLine('"a b"')).toEqual(['a b']);
    expect(parseMultivalueLine('a=1 b=2')).toEqual(['a=1 b=2']);
    expect(parseMultivalueLine('"a=1" b=2')).toEqual(['"a=1" b=2']);
    expect(parseMultivalueLine('"a=1" b="2"')).toEqual(['a=1', 'b=2']);
    expect(parseMultivalueLine('"a"  "b"')).toEqual(['a', '', 'b']);
    expect(parseMultivalueLine('"')).toEqual(['']);
    expect(parseMultivalueLine('')).toEqual(['']);
  });
  it('truthiness', () => {
    expect(isTruthyValue('On')).toBe(true);
    expect(isTruthyValue('enabled')).toBe(false);
  });
  it('collects X-Fleet values per key', () => {
    expect(xFleetValues([x('A', '"1" "2"'), x('B', '3'), x('A', '4'), svc])).toEqual(
      new Map([
        ['A', ['1', '2', '4']],
        ['B', ['3']],
      ]),
    );
  });
});
