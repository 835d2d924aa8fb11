import { describe, expect, it } from 'vitest';
import { machineDeath, parseApiFault, parseKillMachine, parseSlowStart } from './sim-faults.js';

describe('parseApiFault', () => {
  it.each([
    ['error:503', { kind: 'api-error', status: 503 }],
    [
      'error:status=500,message=boom, really,probability=10%,count=2',
      { kind: 'api-error', status: 500, message: 'boom, really', probability: 0.1, count: 2 },
    ],
    [
      'error:503,route=PUT /units/*,probability=0.25',
      { kind: 'api-error', status: 503, route: 'PUT /units/*', probability: 0.25 },
    ],
    ['etcd-unavailable', { kind: 'api-etcd-unavailable' }],
    ['etcd-unavailable:count=3', { kind: 'api-etcd-unavailable', count: 3 }],
    ['reset:route=GET /machines', { kind: 'api-reset', route: 'GET /machines' }],
    ['drop-response:probability=1', { kind: 'api-drop-response', probability: 1 }],
    ['latency:2s', { kind: 'api-latency', delayMs: 2000 }],
    ['latency:delay=150ms,route=*', { kind: 'api-latency', delayMs: 150, route: '*' }],
  ])('%s', (text, spec) => {
    expect(parseApiFault(text)).toEqual(spec);
  });

  it.each([
    [
      'boom',
      /--api-fault: "boom" is not a fault kind \(error, etcd-unavailable, reset, latency, drop-response\)/,
    ],
    ['error', /--api-fault: error needs a status/],
    ['error:99', /--api-fault: status "99" is not an HTTP error status/],
    ['error:503,probability=2', /--api-fault: probability "2" is not between 0 and 1/],
    ['error:503,count=0', /--api-fault: count "0" is not a whole number/],
    ['reset:status=500', /--api-fault: reset takes no status/],
    ['reset:oops', /--api-fault: "oops" in "reset:oops" is not KEY=VALUE/],
    ['latency', /--api-fault: latency needs a delay/],
    ['latency:soon', /--api-fault: "soon" is not a duration/],
  ])('refuses %s', (text, message) => {
    expect(() => parseApiFault(text)).toThrow(message);
  });
});

describe('parseSlowStart', () => {
  it('splits at the last @ (unit names have one)', () => {
    expect(parseSlowStart('web@2.service@30s')).toEqual({
      kind: 'unit-slow-start',
      match: { name: 'web@2.service' },
      delayMs: 30_000,
    });
    expect(parseSlowStart('Environment=VERSION=slow@1m')).toMatchObject({
      match: { option: { name: 'Environment', value: 'VERSION=slow' } },
      delayMs: 60_000,
    });
  });

  it('refuses a pattern without a duration, naming the flag', () => {
    expect(() => parseSlowStart('web@2.service')).toThrow(/--slow-start: "2.service" is not a duration/);
    expect(() => parseSlowStart('web')).toThrow(/--slow-start: "web" has no @DURATION/);
  });
});

describe('--kill-machine', () => {
  const machines = [
    { id: 'aa11', primaryIP: '127.0.8.101' },
    { id: 'ab22', primaryIP: '127.0.8.102' },
  ];

  it('AFTER alone: the first live machine', () => {
    expect(parseKillMachine('30s')).toEqual({ afterMs: 30_000 });
    expect(machineDeath(parseKillMachine('0s'), machines)).toEqual({ kind: 'machine-dies', atMs: 0 });
  });

  it('MACHINE@AFTER: an id, a unique prefix or an IP', () => {
    for (const ref of ['ab22', 'ab', '127.0.8.102']) {
      expect(machineDeath(parseKillMachine(`${ref}@1m`), machines)).toEqual({
        kind: 'machine-dies',
        machineID: 'ab22',
        atMs: 60_000,
      });
    }
  });

  it('refuses an unknown or ambiguous machine and a bad duration, naming the flag', () => {
    expect(() => machineDeath(parseKillMachine('zz@1s'), machines)).toThrow(
      /--kill-machine: no machine is "zz"/,
    );
    expect(() => machineDeath(parseKillMachine('a@1s'), machines)).toThrow(/more than one machine is "a"/);
    expect(() => parseKillMachine('later')).toThrow(/--kill-machine: "later" is not a duration/);
  });
});
