import { describe, expect, it } from 'vitest';
import { credentialsFrom } from '../config/credentials.js';
import { isLocalOnly, parseListen } from '../config/listen.js';
import { createAuthCheck } from './auth.js';

describe('createAuthCheck', () => {
  const check = createAuthCheck({ tokens: ['t1', 't2'], users: [{ user: 'ci', password: 'pw' }] });
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it.each([
    [undefined, undefined, 'missing'],
    ['', undefined, 'missing'],
    ['Bearer t1', undefined, 'ok'],
    ['t2', undefined, 'ok'],
    ['Bearer t3', undefined, 'wrong'],
    ['t1 ', undefined, 'ok'],
    [basic('ci:pw'), undefined, 'ok'],
    [basic('ci:px'), undefined, 'wrong'],
    [undefined, 't1', 'ok'],
    [undefined, 'nope', 'wrong'],
  ] as const)('%s / ?token=%s → %s', (header, token, verdict) => {
    expect(check(header, token)).toBe(verdict);
  });
  it('with no tokens configured, any token is wrong', () => {
    expect(createAuthCheck({ tokens: [], users: [{ user: 'a', password: 'b' }] })('Bearer x')).toBe('wrong');
  });
});

describe('credentials and listen addresses', () => {
  it('reads FS_SERVE_TOKEN, TOKEN (SymfoniNext) and a password; nothing is a default', () => {
    expect(credentialsFrom({})).toEqual({ tokens: [], users: [] });
    expect(credentialsFrom({ FS_SERVE_TOKEN: 'a', TOKEN: 'b', FS_SERVE_PASSWORD: 'p' })).toEqual({
      tokens: ['a', 'b'],
      users: [{ user: 'fs', password: 'p' }],
    });
    expect(() => credentialsFrom({ FS_SERVE_TOKEN_FILE: '/nonexistent/token' })).toThrow(
      /FS_SERVE_TOKEN_FILE/,
    );
  });
  it('parses host:port, [v6]:port, :port and unix:PATH', () => {
    expect(parseListen('127.0.0.1:4500')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4500 });
    expect(parseListen('[::1]:1')).toEqual({ kind: 'tcp', host: '::1', port: 1 });
    expect(parseListen(':8080')).toEqual({ kind: 'tcp', host: '0.0.0.0', port: 8080 });
    expect(parseListen('unix:/run/x.sock')).toEqual({ kind: 'unix', path: '/run/x.sock' });
    expect(() => parseListen('nope')).toThrow(/HOST:PORT/);
    expect(isLocalOnly(parseListen(':1'))).toBe(false);
    expect(isLocalOnly(parseListen('127.0.0.2:1'))).toBe(true);
  });
});
