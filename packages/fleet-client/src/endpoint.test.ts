import { describe, expect, it } from 'vitest';
import { parseEndpoint } from './endpoint.js';
import { InvalidEndpointError } from './errors.js';

describe('parseEndpoint', () => {
  it.each([
    ['unix:///var/run/fleet.sock', '/var/run/fleet.sock'],
    ['unix:/var/run/fleet.sock', '/var/run/fleet.sock'],
    ['file:///var/run/fleet.sock', '/var/run/fleet.sock'],
    ['UNIX:///var/run/fleet.sock', '/var/run/fleet.sock'],
    ['unix:///var/run/fleet.sock/', '/var/run/fleet.sock'],
    ['unix:///var/run/fleet.sock/fleet/v1/', '/var/run/fleet.sock'],
    ['unix:///tmp/my%20dir/fleet.sock', '/tmp/my dir/fleet.sock'],
    ['http+unix://%2Fvar%2Frun%2Ffleet.sock', '/var/run/fleet.sock'],
    ['http+unix://%2Fvar%2Frun%2Ffleet.sock/', '/var/run/fleet.sock'],
    ['http+unix://%2Fvar%2Frun%2Ffleet.sock/fleet/v1', '/var/run/fleet.sock'],
  ])('%s is the unix socket %s', (input, socketPath) => {
    expect(parseEndpoint(input)).toEqual({
      kind: 'unix',
      input,
      url: `unix://${socketPath}`,
      socketPath,
      baseUrl: 'http://domain-sock/fleet/v1/',
      basePath: '/fleet/v1/',
      ignored: [],
    });
  });

  it.each([
    ['http://127.0.0.1:49153', 'http', 49153, 'http://127.0.0.1:49153', '/fleet/v1/'],
    ['http://127.0.0.1:49153/', 'http', 49153, 'http://127.0.0.1:49153', '/fleet/v1/'],
    ['http://127.0.0.1:49153/fleet/v1', 'http', 49153, 'http://127.0.0.1:49153', '/fleet/v1/'],
    ['http://127.0.0.1:49153/fleet/v1//', 'http', 49153, 'http://127.0.0.1:49153', '/fleet/v1/'],
    ['http://fleet.example:8080/proxy/', 'http', 8080, 'http://fleet.example:8080/proxy', '/proxy/fleet/v1/'],
    ['https://fleet.example', 'https', 443, 'https://fleet.example', '/fleet/v1/'],
    ['http://fleet.example', 'http', 80, 'http://fleet.example', '/fleet/v1/'],
    ['http://[::1]:49153', 'http', 49153, 'http://[::1]:49153', '/fleet/v1/'],
  ] as const)('%s → %s port %i', (input, kind, port, url, basePath) => {
    const endpoint = parseEndpoint(input);
    expect(endpoint).toMatchObject({ kind, port, url, basePath, baseUrl: `${url}/fleet/v1/` });
    expect(endpoint.baseUrl.endsWith('/fleet/v1/')).toBe(true);
    expect(endpoint.baseUrl).not.toMatch(/fleet\/v1\/fleet\/v1/);
  });

  it('uses the first entry of a comma-separated list and reports the rest', () => {
    const endpoint = parseEndpoint('http://127.0.0.1:2379, http://127.0.0.1:4001');
    expect(endpoint).toMatchObject({ url: 'http://127.0.0.1:2379', ignored: ['http://127.0.0.1:4001'] });
  });

  it('rejects a host on a unix URL with fleetctl’s words', () => {
    expect(() => parseEndpoint('unix://var/run/fleet.sock')).toThrow(
      'unable to connect to host "var" with scheme "unix"',
    );
    expect(() => parseEndpoint('file://host/x.sock')).toThrow(
      'unable to connect to host "host" with scheme "file"',
    );
  });

  it.each([
    ['', 'it is empty'],
    ['/var/run/fleet.sock', 'a scheme is required'],
    ['127.0.0.1:49153', 'a scheme is required'],
    ['ftp://host/x', 'unsupported scheme "ftp"'],
    ['unix:relative.sock', 'must be absolute'],
    ['unix:///', 'no socket path given'],
    ['http://user:pw@host', 'credentials'],
    ['http://host/?x=1', 'query or fragment'],
    ['http+unix://%2Fa.sock/other', 'unexpected path "/other"'],
    ['http+unix://%E0%A4%A.sock', 'cannot percent-decode'],
  ])('%j is invalid: %s', (input, why) => {
    let error: unknown;
    try {
      parseEndpoint(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEndpointError);
    expect(error).toMatchObject({ code: 'ERR_FLEET_INVALID_ENDPOINT', endpoint: input });
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toMatch(/^invalid fleet endpoint/);
  });
});
