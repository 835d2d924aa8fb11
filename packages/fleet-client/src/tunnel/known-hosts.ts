/**
 * OpenSSH known_hosts files, read the way `ssh` reads them: host patterns (`*`, `?`, `!negation`,
 * `[host]:port`), hashed names (`|1|salt|hash`), `@revoked` lines (`@cert-authority` lines are
 * skipped: certificates are not supported). Pure apart from reading the files.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  file: string;
  /** 1-based line number. */
  line: number;
  marker: 'revoked' | undefined;
  patterns: string;
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
}

/** What known_hosts says about the key a server presented. */
export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown'; otherTypes: string[] }
  | { kind: 'changed'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry };

/** The name known_hosts files use for a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type written inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The fingerprint `ssh-keygen -l` prints: `SHA256:` and the unpadded base64 of the blob's SHA-256. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The line that trusts this key for this host, in known_hosts format. */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** Parses a known_hosts text; lines it cannot read are skipped, as ssh does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = (lines[i] ?? '').trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked') continue; // @cert-authority: not supported
      marker = 'revoked';
      fields.shift();
    }
    const [patterns, keyType, key] = fields;
    if (patterns === undefined || keyType === undefined || key === undefined) continue;
    entries.push({ file, line: i + 1, marker, patterns, keyType, key });
  }
  return entries;
}

/** Reads the files that exist (a missing file is an empty one, as for ssh). */
export function readKnownHosts(files: readonly string[]): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    entries.push(...parseKnownHosts(text, file));
  }
  return entries;
}

function globMatch(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Does a pattern list (`a,b,!c`) match the host name? A matching negation wins. */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false;
    } else if (globMatch(pattern, name)) matched = true;
  }
  return matched;
}

/**
 * Checks a presented key against the entries for `host:port`: `revoked` if a matching @revoked
 * line has it; `known` if a line has it; `changed` if a line for the host has another key of
 * the same type; else `unknown` (with the types known for the host, if any).
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  blob: Buffer,
): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const keyType = keyTypeOf(blob);
  const key = blob.toString('base64');
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name));
  const same = forHost.find((e) => e.key === key);
  if (same) return { kind: 'known', entry: same };
  const changed = forHost.find((e) => e.keyType === keyType);
  if (changed) return { kind: 'changed', entry: changed };
  return { kind: 'unknown', otherTypes: [...new Set(forHost.map((e) => e.keyType))] };
}

/** ssh2's default host key algorithms (Node 20 has ed25519), in its order. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * The host key algorithms to offer, those of key types known for the host first (as ssh orders
 * them), so a server with several keys presents the one on record.
 */
export function hostKeyAlgorithms(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = new Set(
    entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name)).map((e) => e.keyType),
  );
  const known = DEFAULT_HOST_KEY_ALGORITHMS.filter((algorithm) =>
    types.has(algorithm.startsWith('rsa-sha2-') ? 'ssh-rsa' : algorithm),
  );
  return [...known, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !known.includes(a))];
}
