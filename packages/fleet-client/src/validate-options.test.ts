import { describe, expect, it } from 'vitest';
import type { UnitOption } from './types.js';
import { unknownFleetKeys, validateUnitOptions } from './validate-options.js';

const o = (section: string, name: string, value: string): UnitOption => ({ section, name, value });
const svc = o('Service', 'ExecStart', '/bin/true');
const x = (name: string, value: string) => o('X-Fleet', name, value);
const messages = (options: UnitOption[]) => validateUnitOptions(options).map((p) => p.message);

describe('validateUnitOptions: fleet TestValidateOptions (§12.27)', () => {
  it.each<[string, UnitOption[], string | undefined]>([
    [
      'Conflicts=b*e + MachineOf=bar.service',
      [x('Conflicts', 'b*e'), x('MachineOf', 'bar.service')],
      'unresolvable requirements: peer "bar.service" matches conflict "b*e"',
    ],
    [
      'Conflicts=b*e + MachineOf=foo.service',
      [x('Conflicts', 'b*e'), x('MachineOf', 'foo.service')],
      undefined,
    ],
    [
      'Replaces=foo.service + Conflicts=bar.service',
      [x('Replaces', 'foo.service'), x('Conflicts', 'bar.service')],
      'Conflicts cannot be used with Replaces',
    ],
    ['Global=true + Conflicts=foo.service', [x('Global', 'true'), x('Conflicts', 'foo.service')], undefined],
    [
      'Global=true + MachineID',
      [x('Global', 'true'), x('MachineID', 'abc')],
      'MachineID cannot be used with Global',
    ],
    [
      'MachineID + Global=true',
      [x('MachineID', 'abc'), x('Global', 'true')],
      'MachineID cannot be used with Global',
    ],
  ])('%s', (_label, options, message) => {
    const problems = validateUnitOptions([svc, ...options]);
    expect(problems[0]?.message).toBe(message);
  });
});

describe('validateUnitOptions: every X-Fleet message (§7.2)', () => {
  it.each<[UnitOption[], string]>([
    [
      [x('MachineOf', 'a.service'), x('Replaces', 'a.*')],
      'unresolvable requirements: peer "a.service" matches replace "a.*"',
    ],
    [[x('MachineID', 'm1'), x('MachineOf', 'a.service')], 'MachineID cannot be used with Peers'],
    [[x('X-ConditionMachineID', 'm1'), x('Conflicts', 'a*')], 'MachineID cannot be used with Conflicts'],
    [[x('X-ConditionMachineBootID', 'b1'), x('Global', 'yes')], 'MachineID cannot be used with Global'],
    [[x('MachineID', 'm1'), x('Replaces', 'a.service')], 'MachineID cannot be used with Replaces'],
    [[x('Global', 'on'), x('X-ConditionMachineOf', 'a.service')], 'Global cannot be used with Peers'],
    [[x('Global', 'T'), x('Replaces', 'a.service')], 'Global cannot be used with Replaces'],
    [[x('X-Conflicts', 'a*'), x('Replaces', 'b.service')], 'Conflicts cannot be used with Replaces'],
  ])('%j → %s', (options, message) => {
    expect(messages([svc, ...options])).toEqual([message]);
  });

  it('allows the documented combinations', () => {
    expect(validateUnitOptions([svc, x('Global', 'true'), x('MachineMetadata', 'role=web')])).toEqual([]);
    expect(validateUnitOptions([svc, x('Conflicts', 'web@*.service'), x('MachineOf', 'db.service')])).toEqual(
      [],
    );
    expect(
      validateUnitOptions([
        svc,
        x('Replaces', 'a.service'),
        x('Replaces', 'b.service'),
        x('MachineOf', 'c.service'),
      ]),
    ).toEqual([]);
    expect(validateUnitOptions([svc])).toEqual([]);
    expect(validateUnitOptions([])).toEqual([]);
  });

  it('a falsy or overridden Global does not count', () => {
    expect(validateUnitOptions([svc, x('Global', 'false'), x('MachineID', 'm1')])).toEqual([]);
    expect(validateUnitOptions([svc, x('Global', 'true'), x('Global', 'no'), x('MachineID', 'm1')])).toEqual(
      [],
    );
  });

  it('does not expand specifiers and reads whitespace-separated conflicts', () => {
    expect(validateUnitOptions([svc, x('MachineOf', '%p.socket'), x('Conflicts', '%p.*')])[0]?.message).toBe(
      'unresolvable requirements: peer "%p.socket" matches conflict "%p.*"',
    );
    expect(messages([svc, x('MachineOf', 'b.service'), x('Conflicts', 'a.service b.*')])).toEqual([
      'unresolvable requirements: peer "b.service" matches conflict "b.*"',
    ]);
  });

  it('reports every problem in fleet order, with the option and its index', () => {
    const options = [
      svc,
      x('MachineID', 'm1'),
      x('Global', 'true'),
      x('MachineOf', 'p.service'),
      x('Conflicts', 'p*'),
    ];
    const problems = validateUnitOptions(options);
    expect(problems.map((p) => p.message)).toEqual([
      'unresolvable requirements: peer "p.service" matches conflict "p*"',
      'MachineID cannot be used with Peers',
      'MachineID cannot be used with Conflicts',
      'MachineID cannot be used with Global',
      'Global cannot be used with Peers',
    ]);
    expect(problems[0]).toMatchObject({ index: 4, option: options[4] });
    expect(problems[1]).toMatchObject({ index: 1, option: options[1] });
    expect(problems[4]).toMatchObject({ index: 2 });
  });
});

describe('validateUnitOptions: serialise/re-parse round trip (§7.2, §12.44)', () => {
  it('rejects a 2100-character value', () => {
    const options = [o('Service', 'ExecStart', 'x'.repeat(2100))];
    expect(validateUnitOptions(options)).toEqual([
      { message: 'line too long (max 2048 bytes)', option: options[0], index: 0, line: 2 },
    ]);
  });
  it('measures the serialised name=value line in bytes: 2047 ok, 2048 too long', () => {
    expect(validateUnitOptions([o('S', 'AB', 'x'.repeat(2044))])).toEqual([]); // "AB=" + 2044 = 2047
    expect(messages([o('S', 'AB', 'x'.repeat(2045))])).toEqual(['line too long (max 2048 bytes)']);
    expect(messages([o('S', 'AB', 'é'.repeat(1023))])).toEqual(['line too long (max 2048 bytes)']); // 3 + 2046 bytes
  });
  it('accepts a long line fleet lets through: go-systemd checks it only while 2048 bytes are buffered', () => {
    const short = Array.from({ length: 150 }, () => o('Service', 'A', 'x'.repeat(18)));
    const long = o('Service', 'ExecStart', 'y'.repeat(2100));
    expect(validateUnitOptions([...short, long])).toEqual([]);
    expect(messages([long, ...short])).toEqual(['line too long (max 2048 bytes)']);
  });
  it('rejects a raw newline in a value', () => {
    const options = [svc, o('Service', 'Environment', 'A=1\nB')];
    expect(validateUnitOptions(options)).toEqual([
      // "[Service]\nExecStart=/bin/true\nEnvironment=A=1\nB\n": go-systemd stops on line 4, "B".
      {
        message: 'unexpected newline encountered while parsing option name',
        option: options[1],
        index: 1,
        line: 4,
      },
    ]);
  });
  it('rejects section names fleet cannot read back', () => {
    expect(messages([o('Se]ct', 'A', '1')])).toEqual(['found garbage after section name : [99 116 93]']);
  });
  it('reports several round-trip problems and X-Fleet problems together, fleet first', () => {
    const options = [
      o('Unit', 'Description', 'a\nb'),
      o('Service', 'ExecStart', 'x'.repeat(3000)),
      x('Global', 'true'),
      x('MachineID', 'm1'),
    ];
    const problems = validateUnitOptions(options);
    // Lines of the serialised file: 1 [Unit], 2 Description=a, 3 b, 5 [Service], 6 ExecStart=…,
    // 8 [X-Fleet], 9 Global=true, 10 MachineID=m1.
    expect(problems.map((p) => [p.message, p.index, p.line])).toEqual([
      ['unexpected newline encountered while parsing option name', 0, 3],
      ['line too long (max 2048 bytes)', 1, 6],
      ['MachineID cannot be used with Global', 3, 10],
    ]);
  });
});

describe('unknownFleetKeys', () => {
  it('lists X-Fleet keys fleet does not understand, once, in order', () => {
    expect(
      unknownFleetKeys([
        svc,
        x('MachineOf', 'a.service'),
        x('Weight', '2'),
        x('machineid', 'lowercase is unknown'),
        x('Weight', '3'),
        x('X-ConditionMachineMetadata', 'a=b'),
        o('Service', 'Bogus', 'not X-Fleet'),
      ]),
    ).toEqual(['Weight', 'machineid']);
  });
});
