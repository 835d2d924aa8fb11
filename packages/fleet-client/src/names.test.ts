import { describe, expect, it } from 'vitest';
import {
  compareUnitNames,
  instanceName,
  isValidUnitName,
  parseUnitName,
  templateName,
  validateServiceName,
  validateUnitName,
} from './names.js';

const TEMPLATE_TYPES = ['path', 'service', 'socket', 'target', 'timer'];
const NON_TEMPLATE_TYPES = ['automount', 'busname', 'device', 'mount', 'scope', 'slice', 'snapshot', 'swap'];

describe('validateUnitName: fleet TestValidateName good names (§7.1)', () => {
  const good = [
    'foo.service',
    'hello.mount',
    'foo@123.service',
    'foo@.service',
    'yo.yo.service',
    'hello@world.path',
    'hello:world.service',
    'yes@no\\.service',
    'foo-bar.mount',
    'jalapano_chips.service',
    ...TEMPLATE_TYPES.map((t) => `foo@1.${t}`),
    // quirks: empty prefix, several @, exactly 256 bytes
    '.service',
    'foo@bar@baz.service',
    `${'a'.repeat(248)}.service`,
  ];
  it.each(good)('accepts %s', (name) => {
    expect(validateUnitName(name)).toBeUndefined();
    expect(isValidUnitName(name)).toBe(true);
  });
});

describe('validateUnitName: fleet TestValidateName bad names with fleet messages (§7.1, §12.39)', () => {
  const bad: [string, string][] = [
    ['', 'unit name cannot be empty'],
    [`${'a'.repeat(249)}.service`, 'unit name exceeds maximum length (256)'],
    [`${'a'.repeat(250)}.service`, 'unit name exceeds maximum length (256)'],
    ['fooservice', 'unit name must contain "."'],
    ['barmount', 'unit name must contain "."'],
    ['bar@foo', 'unit name must contain "."'],
    ['foo.', 'unit name cannot end in "."'],
    ['foo.service.', 'unit name cannot end in "."'],
    ['foo@foo.service.', 'unit name cannot end in "."'],
    ['foo.bar', 'invalid unit type: "bar"'],
    ['hello.cerveza', 'invalid unit type: "cerveza"'],
    ['foo.servICE', 'invalid unit type: "servICE"'],
    ['new.foo', 'invalid unit type: "foo"'],
    ['foo%.service', "invalid character '%' in unit name"],
    ['foo$asd.service', "invalid character '$' in unit name"],
    ['hello##.mount', "invalid character '#' in unit name"],
    ['yes/no.service', "invalid character '/' in unit name"],
    ['this+that.mount', "invalid character '+' in unit name"],
    ['a b.service', "invalid character ' ' in unit name"],
    ["it's.service", "invalid character '\\'' in unit name"],
    ['tab\there.service', "invalid character '\\t' in unit name"],
    ['café.service', "invalid character 'é' in unit name"],
    ['dog=woof@.mount', 'invalid unit type for template: "mount"'],
    ['@foo.service', 'unit name cannot start in "@"'],
    ['@this.mount', 'invalid unit type for template: "mount"'],
    ['x@1.mount', 'invalid unit type for template: "mount"'],
    ['foo.b"ar', 'invalid unit type: "b\\"ar"'],
    ...NON_TEMPLATE_TYPES.map((t): [string, string] => [
      `foo@1.${t}`,
      `invalid unit type for template: "${t}"`,
    ]),
  ];
  it.each(bad)('rejects %j with fleet message', (name, message) => {
    expect(validateUnitName(name)).toBe(message);
    expect(isValidUnitName(name)).toBe(false);
  });

  it('counts bytes, not characters, against the 256 limit', () => {
    const twoByte = `${'é'.repeat(124)}a.service`; // 249 chars, 257 bytes
    expect(twoByte.length).toBeLessThan(256);
    expect(validateUnitName(twoByte)).toBe('unit name exceeds maximum length (256)');
  });

  it('reports only the first failing check, in fleet order', () => {
    // invalid characters and a leading @: the character check comes first
    expect(validateUnitName('@a b.service')).toBe("invalid character ' ' in unit name");
    // template type check comes before the character check
    expect(validateUnitName('a b@1.mount')).toBe('invalid unit type for template: "mount"');
  });
});

describe('parseUnitName (§8, §12.62)', () => {
  it('parses an instance', () => {
    expect(parseUnitName('foo@bar.service')).toEqual({
      name: 'foo@bar.service',
      prefix: 'foo',
      instance: 'bar',
      type: 'service',
      template: 'foo@.service',
      isTemplate: false,
      isInstance: true,
      index: undefined,
    });
  });
  it('parses a template', () => {
    const info = parseUnitName('foo@.service');
    expect(info.isTemplate).toBe(true);
    expect(info.isInstance).toBe(false);
    expect(info.template).toBe('foo@.service');
    expect(info.instance).toBe('');
  });
  it('parses a plain unit as neither template nor instance', () => {
    expect(parseUnitName('foo.service')).toMatchObject({
      prefix: 'foo',
      instance: '',
      template: '',
      type: 'service',
      isTemplate: false,
      isInstance: false,
    });
  });
  it('takes the instance after the first @ and the type after the last .', () => {
    expect(parseUnitName('foo@bar@baz.service')).toMatchObject({
      template: 'foo@.service',
      instance: 'bar@baz',
    });
    expect(parseUnitName('foo.1@2.service')).toMatchObject({ prefix: 'foo.1', instance: '2', index: 2 });
    expect(parseUnitName('ssh@1.socket')).toMatchObject({ template: 'ssh@.socket', type: 'socket' });
  });
  it('handles a name without a dot without throwing', () => {
    expect(parseUnitName('foo')).toMatchObject({ prefix: 'foo', type: '', template: '', isInstance: false });
    expect(validateUnitName('foo')).toBe('unit name must contain "."');
  });
  it.each([
    ['web@3.service', 3],
    ['web@10.service', 10],
    ['web@03.service', undefined],
    ['web@0.service', undefined],
    ['web@-1.service', undefined],
    ['web@1e3.service', undefined],
    ['web@1.5.service', undefined],
    ['web@ 1.service', undefined],
    ['web@99999999999999999999.service', undefined],
    ['web@blue.service', undefined],
    ['web@.service', undefined],
  ])('index of %s is %s', (name, index) => {
    expect(parseUnitName(name).index).toBe(index);
  });
});

describe('instanceName / templateName', () => {
  it('builds names', () => {
    expect(instanceName('web', 3)).toBe('web@3.service');
    expect(instanceName('web', 'blue', 'socket')).toBe('web@blue.socket');
    expect(templateName('web')).toBe('web@.service');
    expect(templateName('web', 'timer')).toBe('web@.timer');
    expect(parseUnitName(instanceName('web', 7)).index).toBe(7);
  });
});

describe('compareUnitNames', () => {
  it('sorts instances numerically, then by name', () => {
    const names = [
      'web@10.service',
      'api.service',
      'web@2.service',
      'web@.service',
      'web@1.service',
      'web.service',
    ];
    expect([...names].sort(compareUnitNames)).toEqual([
      'api.service',
      'web@1.service',
      'web@2.service',
      'web@10.service',
      'web.service',
      'web@.service',
    ]);
  });
  it('is a consistent total order (no cycles with mixed instances)', () => {
    const names = ['web@10.service', 'web@1x.service', 'web@2.service', 'web@02.service', 'web@2.socket'];
    const sorted = [...names].sort(compareUnitNames);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = 0; j < sorted.length; j++) {
        const c = compareUnitNames(sorted[i]!, sorted[j]!);
        expect(Math.sign(c)).toBe(Math.sign(i - j));
      }
    }
  });
});

describe('validateServiceName', () => {
  it('accepts usable service names', () => {
    expect(validateServiceName('web')).toBeUndefined();
    expect(validateServiceName('my-app_1.v2')).toBeUndefined();
  });
  it('rejects empty, @, bad characters and over-long names with a message naming the service', () => {
    expect(validateServiceName('')).toBe('service name cannot be empty');
    expect(validateServiceName('a@b')).toBe('invalid service name "a@b": cannot contain "@"');
    expect(validateServiceName('a b')).toBe(
      `invalid service name "a b": unit name "a b.service" is invalid: invalid character ' ' in unit name`,
    );
    // 247 chars: S.service (255) and S@.service (256) fit, S@1.service (257) does not
    const long = 'a'.repeat(247);
    expect(validateServiceName(long)).toMatch(
      /unit name "a+@1\.service" is invalid: unit name exceeds maximum length \(256\)$/,
    );
    expect(validateServiceName('a'.repeat(246))).toBeUndefined();
  });
});
