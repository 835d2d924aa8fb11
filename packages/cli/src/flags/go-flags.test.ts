import { describe, expect, it } from 'vitest';
import { DEPLOYSTER_FLAGS, translateGoFlags } from './go-flags.js';

describe('coco-fleet-deployer’s Go-style flags', () => {
  it.each([
    [
      ['-fleetEndpoint=http://h:49153', '-rootURI=https://x/y/', '-destroy=true'],
      ['--endpoint=http://h:49153', '--root-uri=https://x/y/', '--prune'],
    ],
    [
      ['--fleetEndpoint', 'http://h:1', '-rootURI', '/srv/units/'],
      ['--endpoint=http://h:1', '--root-uri=/srv/units/'],
    ],
    [['-destroy'], ['--prune']],
    [['-destroy=false'], []],
    [
      ['-destroy', 'true', 'services.yaml'],
      ['--prune', 'services.yaml'],
    ],
    [['-isDebug=1'], ['--verbose']],
    [['-socksProxy=127.0.0.1:2323'], ['--socks-proxy=127.0.0.1:2323']],
    [
      ['services.yaml', '--prune', '--watch', '60s'],
      ['services.yaml', '--prune', '--watch', '60s'],
    ],
    [
      ['--', '-destroy'],
      ['--', '-destroy'],
    ],
  ])('%j → %j', (argv, expected) => {
    expect(translateGoFlags(argv).argv).toEqual(expected);
  });

  it('drops the flags only coco’s own deployment used, and says so', () => {
    expect(translateGoFlags(['-etcd-url=http://e:2379', '-health-endpoint', '__health', 'x.yaml'])).toEqual({
      argv: ['x.yaml'],
      ignored: ['-etcd-url', '-health-endpoint'],
    });
  });
});

describe('deployster’s flags on fs serve', () => {
  it('maps the unit file’s command line of deployster’s README onto fs serve’s flags', () => {
    const argv = [
      '-password=DONTUSETHIS',
      '-docker-hub-username=mycompany',
      '-cert=/ssl/server.crt',
      '-key',
      '/ssl/server.key',
    ];
    expect(
      translateGoFlags(
        [...argv, '-listen=0.0.0.0:3000', '-username', 'deployster', '--config', 'd.yaml'],
        DEPLOYSTER_FLAGS,
        new Set(),
      ),
    ).toEqual({
      argv: [
        '--password=DONTUSETHIS',
        '--docker-hub-username=mycompany',
        '--cert=/ssl/server.crt',
        '--key=/ssl/server.key',
        '--listen=0.0.0.0:3000',
        '--username=deployster',
        '--config',
        'd.yaml',
      ],
      ignored: [],
    });
  });
});
