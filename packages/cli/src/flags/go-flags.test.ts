import { describe, expect, it } from 'vitest';
import { translateGoFlags } from './go-flags.js';

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
