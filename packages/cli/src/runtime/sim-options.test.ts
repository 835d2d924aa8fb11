import { describe, expect, it } from 'vitest';
import { exportLine, parseFailWhen, parseListen } from './sim-options.js';

describe('parseListen', () => {
  it.each([
    ['unix:/tmp/fleet.sock', { socketPath: '/tmp/fleet.sock' }],
    ['unix:///tmp/fleet.sock', { socketPath: '/tmp/fleet.sock' }],
    ['127.0.0.1:49153', { host: '127.0.0.1', port: 49153 }],
    [':0', { host: '127.0.0.1', port: 0 }],
    ['8080', { host: '127.0.0.1', port: 8080 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['unix:', 'localhost', 'h:99999', 'h:port'])('refuses %s', (text) => {
    expect(() => parseListen(text)).toThrow(/--listen/);
  });
});

describe('parseFailWhen', () => {
  it('a pattern without = is a unit-name glob', () => {
    expect(parseFailWhen('web@2.service')).toEqual({
      kind: 'unit-start-fails',
      match: { name: 'web@2.service' },
    });
  });
  it('Option=VALUE splits at the first =, so values may contain =', () => {
    expect(parseFailWhen('Environment=VERSION=bad')).toEqual({
      kind: 'unit-start-fails',
      match: { option: { name: 'Environment', value: 'VERSION=bad' } },
    });
  });
  it('Section.Option=VALUE names the section', () => {
    expect(parseFailWhen('Service.ExecStart=/bin/false*')).toEqual({
      kind: 'unit-start-fails',
      match: { option: { section: 'Service', name: 'ExecStart', value: '/bin/false*' } },
    });
  });
  it('refuses nonsense', () => {
    expect(() => parseFailWhen('a b=c')).toThrow(/--fail-when/);
    expect(() => parseFailWhen(' ')).toThrow(/empty/);
  });
});

describe('exportLine', () => {
  it('quotes only when needed', () => {
    expect(exportLine('unix:///tmp/x/fleet.sock')).toBe('export FLEETCTL_ENDPOINT=unix:///tmp/x/fleet.sock');
    expect(exportLine("unix:///tmp/it's here.sock")).toBe(
      "export FLEETCTL_ENDPOINT='unix:///tmp/it'\\''s here.sock'",
    );
  });
});
