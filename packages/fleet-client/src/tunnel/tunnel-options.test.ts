import { describe, expect, it } from 'vitest';
import { InvalidClientOptionsError } from '../errors.js';
import { parseTunnelHost, resolveTunnelOptions } from './tunnel-options.js';

describe('tunnel options', () => {
  it('parses HOST[:PORT] as fleetctl takes it', () => {
    expect(parseTunnelHost('core-01')).toEqual({ host: 'core-01', port: undefined });
    expect(parseTunnelHost('10.0.0.1:2222')).toEqual({ host: '10.0.0.1', port: 2222 });
    expect(parseTunnelHost('[fd00::1]:22')).toEqual({ host: 'fd00::1', port: 22 });
    expect(parseTunnelHost('fd00::1')).toEqual({ host: 'fd00::1', port: undefined });
    expect(() => parseTunnelHost('host:99999')).toThrow(
      'invalid fleet client option tunnel: "host:99999" has an invalid port',
    );
    expect(() => parseTunnelHost(':22')).toThrow(InvalidClientOptionsError);
  });

  it("fills in fleetctl's defaults", () => {
    const o = resolveTunnelOptions({ host: 'core-01', knownHostsFiles: ['/k'] });
    expect(o).toMatchObject({
      host: 'core-01',
      port: 22,
      display: 'core-01:22',
      username: 'core',
      strictHostKeyChecking: true,
      timeoutMs: 10_000,
      reconnects: 1,
    });
    expect(resolveTunnelOptions('[fd00::1]:2222').display).toBe('[fd00::1]:2222');
    expect(resolveTunnelOptions('h').knownHostsFiles.map((f) => f.split('/').slice(-2).join('/'))).toEqual([
      '.fleetctl/known_hosts',
      '.ssh/known_hosts',
    ]);
  });

  it('names the option at fault', () => {
    expect(() => resolveTunnelOptions({ host: 'h:22', port: 22 })).toThrow(
      /tunnel\.port: the port is given twice/,
    );
    expect(() => resolveTunnelOptions({ host: 'h', identityFile: '/no/such/key' })).toThrow(
      'invalid fleet client option tunnel.identityFile: cannot read "/no/such/key" (ENOENT)',
    );
    expect(() => resolveTunnelOptions({ host: 'h', timeout: 0 })).toThrow(
      /tunnel\.timeout: expected an integer ≥ 1/,
    );
    expect(() => resolveTunnelOptions({ host: 'h', knownHostsFiles: [] })).toThrow(/tunnel\.knownHostsFiles/);
  });
});
