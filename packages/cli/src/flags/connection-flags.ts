import { Flags } from '@oclif/core';
import { parseDuration } from './duration.js';

const helpGroup = 'CONNECTION';

/** `true`/`false` as fleetctl's Go flags take them (`--strict-host-key-checking=false`). */
function parseBool(input: string, flag: string): boolean {
  const v = input.trim().toLowerCase();
  if (['true', '1', 'yes', 't'].includes(v)) return true;
  if (['false', '0', 'no', 'f'].includes(v)) return false;
  throw new Error(`--${flag}: expected true or false, got "${input}"`);
}

/**
 * How fs reaches fleet's API from outside the cluster: fleetctl's SSH tunnel flags (same names,
 * defaults and FLEETCTL_* variables) and a SOCKS5 proxy. Part of every command's global flags.
 */
export const connectionFlags = {
  tunnel: Flags.string({
    summary:
      'reach fleet through SSH to this machine of the cluster, HOST[:PORT]; the endpoint is then as seen from it (default its /var/run/fleet.sock)',
    env: 'FLEETCTL_TUNNEL',
    helpValue: 'HOST[:PORT]',
    helpGroup,
  }),
  'ssh-username': Flags.string({
    summary: 'SSH user for --tunnel',
    env: 'FLEETCTL_SSH_USERNAME',
    default: 'core',
    helpGroup,
  }),
  'ssh-timeout': Flags.custom<number>({
    summary:
      'time allowed to connect and complete the SSH handshake, in SECONDS (units like 500ms work too) [default: 10]',
    env: 'FLEETCTL_SSH_TIMEOUT',
    helpValue: 'SECONDS',
    helpGroup,
    parse: async (input) => parseDuration(input, 'ssh-timeout', { minMs: 10, maxMs: 600_000 }),
  })(),
  'ssh-identity-file': Flags.string({
    summary:
      'private key for --tunnel, besides the keys of ssh-agent (SSH_AUTH_SOCK); an encrypted key takes its passphrase from FS_SSH_PASSPHRASE',
    env: 'FS_SSH_IDENTITY_FILE',
    helpValue: 'FILE',
    helpGroup,
  }),
  'strict-host-key-checking': Flags.custom<boolean>({
    summary:
      'refuse an SSH host key that is not in the known_hosts files; false accepts any key unchecked [default: true]',
    env: 'FLEETCTL_STRICT_HOST_KEY_CHECKING',
    helpValue: 'true|false',
    helpGroup,
    parse: async (input) => parseBool(input, 'strict-host-key-checking'),
  })(),
  'known-hosts-file': Flags.string({
    summary:
      'known_hosts file for --tunnel (~/.ssh/known_hosts is read too) [default: ~/.fleetctl/known_hosts]',
    env: 'FLEETCTL_KNOWN_HOSTS_FILE',
    helpValue: 'FILE',
    helpGroup,
  }),
  'socks-proxy': Flags.string({
    summary:
      'reach fleet and the health checks through this SOCKS5 proxy, HOST:PORT (e.g. an `ssh -N -D 127.0.0.1:1080 core@bastion`)',
    env: 'FS_SOCKS_PROXY',
    helpValue: 'HOST:PORT',
    helpGroup,
    exclusive: ['tunnel'],
  }),
};
