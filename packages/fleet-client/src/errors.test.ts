import { describe, expect, it } from 'vitest';
import {
  FLEET_ERROR_CODES,
  FleetBadResponseError,
  FleetConflictError,
  FleetError,
  FleetNotFoundError,
  FleetRejectedError,
  FleetServerError,
  FleetTimeoutError,
  FleetUnavailableError,
  FleetUnreachableError,
  FleetValidationError,
  InvalidClientOptionsError,
  InvalidEndpointError,
  isFleetBadResponseError,
  isFleetConflictError,
  isFleetError,
  isFleetNotFoundError,
  isFleetRejectedError,
  isFleetServerError,
  isFleetTimeoutError,
  isFleetUnavailableError,
  isFleetUnreachableError,
  isFleetValidationError,
  isInvalidClientOptionsError,
  isInvalidEndpointError,
  isNotFleetError,
  NotFleetError,
} from './errors.js';
import {
  HostKeyChangedError,
  HostKeyUnknownError,
  isHostKeyChangedError,
  isHostKeyUnknownError,
  isSocksProxyError,
  isTunnelAuthError,
  isTunnelRemoteSocketError,
  isTunnelUnreachableError,
  SocksProxyError,
  TunnelAuthError,
  TunnelRemoteSocketError,
  TunnelUnreachableError,
} from './tunnel/tunnel-errors.js';

const key = { fingerprint: 'SHA256:x', keyType: 'ssh-ed25519' };

const all = [
  [new FleetUnreachableError('m'), 'FleetUnreachableError', 'ERR_FLEET_UNREACHABLE', isFleetUnreachableError],
  [new FleetTimeoutError('m'), 'FleetTimeoutError', 'ERR_FLEET_TIMEOUT', isFleetTimeoutError],
  [new FleetNotFoundError('m'), 'FleetNotFoundError', 'ERR_FLEET_NOT_FOUND', isFleetNotFoundError],
  [new FleetConflictError('m'), 'FleetConflictError', 'ERR_FLEET_CONFLICT', isFleetConflictError],
  [new FleetRejectedError('m'), 'FleetRejectedError', 'ERR_FLEET_REJECTED', isFleetRejectedError],
  [new FleetServerError('m'), 'FleetServerError', 'ERR_FLEET_SERVER', isFleetServerError],
  [new FleetUnavailableError('m'), 'FleetUnavailableError', 'ERR_FLEET_UNAVAILABLE', isFleetUnavailableError],
  [new NotFleetError('http://x', 'why'), 'NotFleetError', 'ERR_NOT_FLEET', isNotFleetError],
  [
    new FleetBadResponseError('m'),
    'FleetBadResponseError',
    'ERR_FLEET_BAD_RESPONSE',
    isFleetBadResponseError,
  ],
  [
    new FleetValidationError('m', []),
    'FleetValidationError',
    'ERR_FLEET_INVALID_UNIT',
    isFleetValidationError,
  ],
  [
    new InvalidEndpointError('m', 'x'),
    'InvalidEndpointError',
    'ERR_FLEET_INVALID_ENDPOINT',
    isInvalidEndpointError,
  ],
  [
    new InvalidClientOptionsError('m', 'retry'),
    'InvalidClientOptionsError',
    'ERR_FLEET_INVALID_OPTIONS',
    isInvalidClientOptionsError,
  ],
  [
    new TunnelUnreachableError('m', { tunnel: 'h:22' }),
    'TunnelUnreachableError',
    'ERR_TUNNEL_UNREACHABLE',
    isTunnelUnreachableError,
  ],
  [
    new TunnelAuthError('m', { tunnel: 'h:22', username: 'core' }),
    'TunnelAuthError',
    'ERR_TUNNEL_AUTH',
    isTunnelAuthError,
  ],
  [
    new HostKeyUnknownError('m', { tunnel: 'h:22', ...key, knownHostsLine: 'l', knownHostsFile: 'f' }),
    'HostKeyUnknownError',
    'ERR_TUNNEL_HOST_KEY_UNKNOWN',
    isHostKeyUnknownError,
  ],
  [
    new HostKeyChangedError('m', { tunnel: 'h:22', ...key, knownAt: 'f:1' }),
    'HostKeyChangedError',
    'ERR_TUNNEL_HOST_KEY_CHANGED',
    isHostKeyChangedError,
  ],
  [
    new TunnelRemoteSocketError('m', { tunnel: 'h:22', target: '/var/run/fleet.sock' }),
    'TunnelRemoteSocketError',
    'ERR_TUNNEL_REMOTE_SOCKET',
    isTunnelRemoteSocketError,
  ],
  [
    new SocksProxyError('m', { proxy: 'p:1080', target: 'h:1' }),
    'SocksProxyError',
    'ERR_SOCKS_PROXY',
    isSocksProxyError,
  ],
] as const;

describe('FleetError classes', () => {
  it.each(all)('%s has a stable name and code', (error, name, code, guard) => {
    expect(error).toBeInstanceOf(FleetError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(isFleetError(error)).toBe(true);
    expect(isFleetError(error, code)).toBe(true);
    expect(guard(error)).toBe(true);
    for (const [other, , , otherGuard] of all) if (other !== error) expect(otherGuard(error)).toBe(false);
  });

  it('every code is in FLEET_ERROR_CODES', () => {
    expect(new Set(all.map(([, , code]) => code))).toEqual(new Set(Object.values(FLEET_ERROR_CODES)));
  });

  it('guards reject non-fleet errors, also ones with foreign codes', () => {
    expect(isFleetError(new Error('x'))).toBe(false);
    expect(isFleetError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isFleetError({ code: 'ERR_FLEET_TIMEOUT' })).toBe(false);
    expect(isFleetNotFoundError(undefined)).toBe(false);
  });

  it('carries context, keeps cause and the raw body off enumeration', () => {
    const cause = new Error('root');
    const error = new FleetServerError('GET /fleet/v1/units failed (500)', {
      method: 'GET',
      path: '/fleet/v1/units',
      status: 500,
      fleetMessage: '',
      attempts: 4,
      responseBody: 'x'.repeat(10_000),
      cause,
    });
    expect(error).toMatchObject({
      method: 'GET',
      path: '/fleet/v1/units',
      status: 500,
      fleetMessage: '',
      attempts: 4,
    });
    expect(error.cause).toBe(cause);
    expect(error.transient).toBe(true);
    expect(error.responseBody).toHaveLength(10_000);
    expect(Object.keys(error)).not.toContain('responseBody');
    expect(Object.keys(error)).not.toContain('cause');
  });

  it('FleetValidationError freezes its problems', () => {
    const error = new FleetValidationError('m', [{ field: 'name', message: 'unit name must contain "."' }]);
    expect(Object.isFrozen(error.problems)).toBe(true);
    expect(error.transient).toBe(false);
  });
});
