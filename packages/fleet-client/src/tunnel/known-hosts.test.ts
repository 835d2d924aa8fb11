import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprintOf,
  hostKeyAlgorithms,
  keyTypeOf,
  knownHostsLine,
  parseKnownHosts,
  patternsMatch,
} from './known-hosts.js';

/** An ssh-ed25519 public key blob, as a server presents it. */
function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number) => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([len(type.length), type, len(raw.length), raw]);
}

const key = ed25519Blob();
const other = ed25519Blob();
const b64 = key.toString('base64');

describe('known_hosts', () => {
  it('reads the key type and writes the line to add ([host]:port off port 22)', () => {
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
    expect(knownHostsLine('10.0.0.1', 22, key)).toBe(`10.0.0.1 ssh-ed25519 ${b64}`);
    expect(knownHostsLine('10.0.0.1', 2222, key)).toBe(`[10.0.0.1]:2222 ssh-ed25519 ${b64}`);
    expect(fingerprintOf(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('matches patterns, wildcards, negations and hashed names', () => {
    expect(patternsMatch('a.example,10.0.0.*', '10.0.0.7')).toBe(true);
    expect(patternsMatch('*.example,!bad.example', 'bad.example')).toBe(false);
    expect(patternsMatch('[10.0.0.1]:2222', '[10.0.0.1]:2222')).toBe(true);
    expect(patternsMatch('10.0.0.1', '[10.0.0.1]:2222')).toBe(false);
    const salt = Buffer.from('0123456789abcdefghij');
    const hash = createHmac('sha1', salt).update('core-01').digest('base64');
    expect(patternsMatch(`|1|${salt.toString('base64')}|${hash}`, 'core-01')).toBe(true);
    expect(patternsMatch(`|1|${salt.toString('base64')}|${hash}`, 'core-02')).toBe(false);
  });

  it('known, unknown (with the other types known), changed, revoked', () => {
    const text = [
      '# comment',
      '',
      `core-01,10.0.0.1 ssh-ed25519 ${b64} core@core-01`,
      `core-02 ssh-ed25519 ${other.toString('base64')}`,
      `core-03 ssh-rsa AAAAB3NzaC1yc2E=`,
      '@cert-authority *.example ssh-ed25519 AAAA',
      `@revoked core-04 ssh-ed25519 ${other.toString('base64')}`,
      'garbage',
    ].join('\n');
    const entries = parseKnownHosts(text, '/k');
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 7]);
    expect(checkHostKey(entries, '10.0.0.1', 22, key)).toMatchObject({ kind: 'known', entry: { line: 3 } });
    expect(checkHostKey(entries, 'core-02', 22, key)).toMatchObject({
      kind: 'changed',
      entry: { file: '/k', line: 4 },
    });
    expect(checkHostKey(entries, 'core-03', 22, key)).toEqual({ kind: 'unknown', otherTypes: ['ssh-rsa'] });
    expect(checkHostKey(entries, 'core-04', 22, other)).toMatchObject({ kind: 'revoked' });
    expect(checkHostKey(entries, 'core-01', 2222, key)).toEqual({ kind: 'unknown', otherTypes: [] });
  });

  it('offers the known key types first', () => {
    const entries = parseKnownHosts('core-03 ssh-rsa AAAA\n', '/k');
    expect(hostKeyAlgorithms(entries, 'core-03', 22).slice(0, 3)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(hostKeyAlgorithms([], 'x', 22)[0]).toBe('ssh-ed25519');
  });
});
