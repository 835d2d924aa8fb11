import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSettings } from './connect.js';

/** The connection part of the global flags (flags/global-flags.ts, flags/connection-flags.ts). */
export interface ConnectionFlags {
  endpoint: string;
  'ca-file'?: string | undefined;
  'cert-file'?: string | undefined;
  'key-file'?: string | undefined;
  'request-timeout'?: number | undefined;
  tunnel?: string | undefined;
  'ssh-username'?: string | undefined;
  'ssh-timeout'?: number | undefined;
  'ssh-identity-file'?: string | undefined;
  'strict-host-key-checking'?: boolean | undefined;
  'known-hosts-file'?: string | undefined;
  'socks-proxy'?: string | undefined;
}

/**
 * The connection settings of a command, from its global flags and the environment the SSH tunnel
 * takes (SSH_AUTH_SOCK for ssh-agent, FS_SSH_PASSPHRASE for an encrypted --ssh-identity-file, HOME
 * for fleetctl's known_hosts). Every command that talks to fleet (and `fs apply`) uses this.
 */
export function connectionSettings(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const settings: ConnectionSettings = {
    endpoint: flags.endpoint,
    caFile: flags['ca-file'],
    certFile: flags['cert-file'],
    keyFile: flags['key-file'],
    requestTimeoutMs: flags['request-timeout'],
  };
  if (flags['socks-proxy']) settings.socksProxy = flags['socks-proxy'];
  if (flags.tunnel) {
    const home = env.HOME || homedir();
    settings.tunnel = {
      host: flags.tunnel,
      username: flags['ssh-username'] ?? 'core',
      strictHostKeyChecking: flags['strict-host-key-checking'] ?? true,
      // fleetctl's file (or the one given) first: an unknown key's line is to be added there
      knownHostsFiles: [
        flags['known-hosts-file'] ?? join(home, '.fleetctl', 'known_hosts'),
        join(home, '.ssh', 'known_hosts'),
      ],
      ...(flags['ssh-timeout'] !== undefined ? { timeout: flags['ssh-timeout'] } : {}),
      ...(flags['ssh-identity-file'] ? { identityFile: flags['ssh-identity-file'] } : {}),
      ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
      ...(env.FS_SSH_PASSPHRASE ? { passphrase: env.FS_SSH_PASSPHRASE } : {}),
    };
  }
  return settings;
}
