/**
 * Options of the SSH tunnel (fleetctl's `--tunnel` and its `--ssh-*` flags), validated once, with
 * messages that name the option. The identity file is read here (and parsed by the tunnel's
 * `check()`, before anything is sent); no message holds the key or its passphrase.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fail } from '../option-checks.js';

/** Options of {@link createSshTunnel} and of `createFleetClient({ tunnel })`. */
export interface SshTunnelOptions {
  /** The machine to SSH to: `HOST`, `HOST:PORT`, `[IPv6]:PORT` (fleetctl's `--tunnel`). */
  host: string;
  /** SSH port, when `host` has none. @default 22 */
  port?: number;
  /** SSH user (fleetctl's `--ssh-username`). @default 'core' */
  username?: string;
  /**
   * Path of an ssh-agent socket to authenticate with, e.g. the caller's `process.env.SSH_AUTH_SOCK`
   * (the library never reads the environment itself). @default undefined
   */
  agent?: string;
  /** A private key file to authenticate with (fleetctl's `--ssh-identity-file`). @default undefined */
  identityFile?: string;
  /** A private key as PEM/OpenSSH text; instead of `identityFile`. @default undefined */
  privateKey?: string | Buffer;
  /** Passphrase of an encrypted `identityFile` / `privateKey`. Never shown in any message. @default undefined */
  passphrase?: string;
  /**
   * Refuse a host key that no known_hosts file has (fleetctl's `--strict-host-key-checking`). With
   * `false` every host key is accepted unchecked: only for throw-away clusters. @default true
   */
  strictHostKeyChecking?: boolean;
  /**
   * known_hosts files, read in order; an unknown key's line is to be added to the first. Missing
   * files count as empty. @default ['~/.fleetctl/known_hosts', '~/.ssh/known_hosts'] (fleetctl's file first)
   */
  knownHostsFiles?: readonly string[];
  /** Milliseconds allowed for the TCP connect and SSH handshake (fleetctl's `--ssh-timeout`). @default 10000 */
  timeout?: number;
  /**
   * How many times a dropped SSH connection is re-established during the tunnel's life, one
   * attempt each; then requests fail with a final TunnelUnreachableError (the caller's resume
   * covers the rest). Before the connection was first up, failed opens are transient instead.
   * @default 1
   */
  reconnects?: number;
  /** Milliseconds between SSH keepalives, so a dead server is noticed while idle; 0 turns them off. @default 5000 */
  keepaliveInterval?: number;
}

/** Options after validation. */
export interface ResolvedTunnelOptions {
  host: string;
  port: number;
  /** `host:port` for messages (`[v6]:port` for IPv6). */
  display: string;
  username: string;
  agent: string | undefined;
  identityFile: string | undefined;
  privateKey: Buffer | string | undefined;
  passphrase: string | undefined;
  strictHostKeyChecking: boolean;
  knownHostsFiles: readonly string[];
  timeoutMs: number;
  reconnects: number;
  keepaliveInterval: number;
}

export const DEFAULT_SSH_USERNAME = 'core';
export const DEFAULT_SSH_TIMEOUT = 10_000;

/** fleetctl's known_hosts, then the user's own: `~/.fleetctl/known_hosts`, `~/.ssh/known_hosts`. */
export function defaultKnownHostsFiles(home = homedir()): string[] {
  return [join(home, '.fleetctl', 'known_hosts'), join(home, '.ssh', 'known_hosts')];
}

/** Parses `HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 address. */
export function parseTunnelHost(
  input: string,
  option = 'tunnel',
): { host: string; port: number | undefined } {
  const text = input.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed?.[1]) return { host: bracketed[1], port: portOf(bracketed[2], option, input) };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port] = text.split(':');
    if (host === '') fail(option, `"${input}" has no host; expected HOST[:PORT]`);
    return { host, port: portOf(port, option, input) };
  }
  if (text === '' || /\s|\//.test(text)) fail(option, `"${input}" is not HOST[:PORT]`);
  return { host: text, port: undefined };
}

function portOf(text: string | undefined, option: string, input: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    fail(option, `"${input}" has an invalid port; expected HOST[:PORT] with PORT 1-65535`);
  return port;
}

function optionalString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') fail(option, 'expected a non-empty string');
  return value;
}

function keyMaterial(options: SshTunnelOptions): Buffer | string | undefined {
  const file = optionalString('tunnel.identityFile', options.identityFile);
  if (file !== undefined && options.privateKey !== undefined)
    fail('tunnel.identityFile', 'give either identityFile or privateKey, not both');
  if (options.privateKey !== undefined) {
    if (typeof options.privateKey !== 'string' && !Buffer.isBuffer(options.privateKey))
      fail('tunnel.privateKey', 'expected the key as a string or a Buffer');
    return options.privateKey;
  }
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (cause) {
    return fail(
      'tunnel.identityFile',
      `cannot read "${file}" (${(cause as NodeJS.ErrnoException).code})`,
      cause,
    );
  }
}

/** Validates tunnel options (a string is `HOST[:PORT]`) and reads the identity file. */
export function resolveTunnelOptions(input: string | SshTunnelOptions): ResolvedTunnelOptions {
  const options: SshTunnelOptions = typeof input === 'string' ? { host: input } : input;
  if (typeof options !== 'object' || options === null) fail('tunnel', 'expected "HOST[:PORT]" or an object');
  if (typeof options.host !== 'string') fail('tunnel.host', 'expected "HOST[:PORT]"');
  const parsed = parseTunnelHost(options.host, 'tunnel.host');
  if (parsed.port !== undefined && options.port !== undefined)
    fail('tunnel.port', 'the port is given twice (in host and in port)');
  const port = parsed.port ?? options.port ?? 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail('tunnel.port', 'expected an integer 1-65535');
  const username = optionalString('tunnel.username', options.username) ?? DEFAULT_SSH_USERNAME;
  const agent = optionalString('tunnel.agent', options.agent);
  const passphrase = options.passphrase;
  if (passphrase !== undefined && typeof passphrase !== 'string')
    fail('tunnel.passphrase', 'expected a string');
  const privateKey = keyMaterial(options);
  const strict = options.strictHostKeyChecking ?? true;
  if (typeof strict !== 'boolean') fail('tunnel.strictHostKeyChecking', 'expected a boolean');
  const files = options.knownHostsFiles ?? defaultKnownHostsFiles();
  if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== 'string' || f === ''))
    fail('tunnel.knownHostsFiles', 'expected a non-empty list of file paths');
  const whole = (option: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      fail(option, `expected an integer ≥ ${min}`);
    return value;
  };
  return {
    host: parsed.host,
    port,
    display: `${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${port}`,
    username,
    agent,
    identityFile: options.identityFile,
    privateKey,
    passphrase,
    strictHostKeyChecking: strict,
    knownHostsFiles: files,
    timeoutMs: whole('tunnel.timeout', options.timeout, DEFAULT_SSH_TIMEOUT, 1),
    reconnects: whole('tunnel.reconnects', options.reconnects, 1, 0),
    keepaliveInterval: whole('tunnel.keepaliveInterval', options.keepaliveInterval, 5000, 0),
  };
}
