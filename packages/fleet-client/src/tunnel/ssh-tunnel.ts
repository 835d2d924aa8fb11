/**
 * An SSH tunnel to one machine of the cluster, on ssh2: one SSH connection, opened on first use
 * and shared by every request (each request a channel: streamlocal to fleet's unix socket,
 * direct-tcpip to an `http://host:port` endpoint or a health check's address), re-established
 * once (by default) if it drops. Host keys are checked against known_hosts and never trusted
 * silently.
 */
import type { Duplex } from 'node:stream';
import type ssh2 from 'ssh2';
import { fail } from '../option-checks.js';
import type { ConnectFunction, ConnectTarget } from '../transport-connect.js';
import { ChannelSocket } from './channel-socket.js';
import {
  checkHostKey,
  fingerprintOf,
  hostKeyAlgorithms,
  keyTypeOf,
  knownHostsLine,
  readKnownHosts,
} from './known-hosts.js';
import {
  HostKeyChangedError,
  HostKeyUnknownError,
  TunnelAuthError,
  TunnelRemoteSocketError,
  TunnelUnreachableError,
} from './tunnel-errors.js';
import { type ResolvedTunnelOptions, resolveTunnelOptions, type SshTunnelOptions } from './tunnel-options.js';

/** Where a health check (or any caller) wants a connection: a TCP address as seen from the far side. */
export interface DialTarget {
  host: string;
  port: number;
}

/** Opens a TCP connection to `host:port` as seen from the far side of a tunnel or proxy. */
export type DialFunction = (target: DialTarget) => Promise<Duplex>;

/** An open (or openable) SSH tunnel. */
export interface SshTunnel {
  /** For `createFleetClient({ connect })`: a channel to the endpoint, as seen from the tunnel host. */
  readonly connect: ConnectFunction;
  /** A channel to `host:port` as seen from the tunnel host (direct-tcpip), e.g. for health checks. */
  readonly dial: DialFunction;
  /** `host:port` of the SSH server. */
  readonly display: string;
  /**
   * Loads ssh2 and checks the key material parses (and decrypts with the passphrase), without
   * any network: InvalidClientOptionsError naming the option otherwise. The first connection
   * does it too; call it to fail early.
   */
  check(): Promise<void>;
  /** SSH connections opened so far (1 for a run without drops). */
  readonly connections: number;
  /** Ends the SSH connection; later calls fail. */
  close(): void;
}

type ChannelTarget = ConnectTarget | { kind: 'tcp'; host: string; port: number };

/** The SSH connection died under a channel being opened (ssh2's "Not connected", "No response from server"). */
class NotConnected extends Error {}

/** Connection-refused kinds: the SSH server is not listening (yet, or any more); worth retrying. */
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/** ssh2's CHANNEL_OPEN_FAILURE reason for "administratively prohibited". */
const PROHIBITED = 1;

/** ssh2 is loaded on first use: importing the client does not pay for it. */
async function loadSsh2(): Promise<typeof import('ssh2')> {
  const mod: unknown = await import('ssh2');
  // a CommonJS module: Node gives its exports as `default` (bundlers may not)
  return ((mod as { default?: unknown }).default ?? mod) as typeof import('ssh2');
}

/** Creates the tunnel; nothing is opened until the first `connect()` / `dial()`. */
export function createSshTunnel(options: string | SshTunnelOptions): SshTunnel {
  return new Tunnel(resolveTunnelOptions(options));
}

class Tunnel implements SshTunnel {
  readonly #options: ResolvedTunnelOptions;
  #client: Promise<ssh2.Client> | undefined;
  #live: ssh2.Client | undefined;
  #everReady = false;
  readonly #channels = new Map<ssh2.Client, Set<ChannelSocket>>();
  #reconnectsLeft: number;
  #connections = 0;
  #closed = false;
  readonly connect: ConnectFunction;
  readonly dial: DialFunction;

  constructor(options: ResolvedTunnelOptions) {
    this.#options = options;
    this.#reconnectsLeft = options.reconnects;
    this.connect = (target) => this.#channel(target);
    this.dial = (target) => this.#channel({ kind: 'tcp', host: target.host, port: target.port });
  }

  get display(): string {
    return this.#options.display;
  }

  get connections(): number {
    return this.#connections;
  }

  async check(): Promise<void> {
    const { utils } = await loadSsh2();
    const o = this.#options;
    if (o.privateKey === undefined) return;
    const parsed = utils.parseKey(o.privateKey, o.passphrase);
    if (!(parsed instanceof Error)) return;
    const option = o.identityFile ? 'tunnel.identityFile' : 'tunnel.privateKey';
    const why = /passphrase/i.test(parsed.message)
      ? o.passphrase === undefined
        ? 'the key is encrypted: give its passphrase, or load it into ssh-agent'
        : 'the passphrase does not decrypt the key'
      : 'not a private key ssh can use (OpenSSH, PEM RSA/ECDSA/ed25519)';
    fail(option, why);
  }

  close(): void {
    this.#closed = true;
    const live = this.#live;
    for (const [client] of this.#channels) this.#dropped(client);
    live?.end();
    this.#live = undefined;
    this.#client = undefined;
  }

  async #channel(target: ChannelTarget, retried = false): Promise<Duplex> {
    const client = await this.#ready();
    try {
      return await this.#openChannel(client, target);
    } catch (error) {
      // "Not connected": the SSH connection died before its `close` event; count it as a drop
      if (!(error instanceof NotConnected)) throw error;
      if (retried) throw this.#unreachable(error);
      this.#dropped(client);
      return this.#channel(target, true);
    }
  }

  #openChannel(client: ssh2.Client, target: ChannelTarget): Promise<Duplex> {
    const what = target.kind === 'unix' ? target.socketPath : `${target.host}:${target.port}`;
    return new Promise<Duplex>((resolve, reject) => {
      const done = (error: Error | undefined, channel: ssh2.ClientChannel) => {
        if (!error) resolve(this.#track(client, new ChannelSocket(channel)));
        // no reason code: the connection closed while the channel was opening
        else if (typeof (error as { reason?: unknown }).reason !== 'number')
          reject(new NotConnected(error.message));
        else reject(this.#channelError(error, target, what));
      };
      try {
        if (target.kind === 'unix') client.openssh_forwardOutStreamLocal(target.socketPath, done);
        else client.forwardOut('127.0.0.1', 0, target.host, target.port, done);
      } catch (error) {
        reject(new NotConnected((error as Error).message));
      }
    });
  }

  /** Remembers a channel until it closes, so a drop of its connection can fail it at once. */
  #track(client: ssh2.Client, socket: ChannelSocket): ChannelSocket {
    let set = this.#channels.get(client);
    if (!set) {
      set = new Set();
      this.#channels.set(client, set);
    }
    const channels = set;
    channels.add(socket);
    socket.once('close', () => channels.delete(socket));
    return socket;
  }

  /** The connection is gone: its channels fail now, and the next request re-establishes it (while reconnects are left). */
  #dropped(client: ssh2.Client): void {
    for (const socket of this.#channels.get(client) ?? []) socket.reset();
    this.#channels.delete(client);
    if (this.#live !== client) return;
    this.#live = undefined;
    this.#client = undefined;
  }

  #channelError(error: Error, target: { kind: string }, what: string): Error {
    const reason = (error as { reason?: unknown }).reason;
    const { display } = this.#options;
    if (reason === PROHIBITED) {
      return new TunnelRemoteSocketError(
        `the SSH server ${display} refused to forward to ${what}: forwarding is prohibited there (sshd's ${target.kind === 'unix' ? 'AllowStreamLocalForwarding' : 'AllowTcpForwarding'}/PermitOpen)`,
        { tunnel: display, target: what, transient: false, cause: error },
      );
    }
    const detail =
      target.kind === 'unix'
        ? `${display} has no socket at ${what} to connect to; is fleetd running there?`
        : `${display} could not connect to ${what} (connection refused or no route)`;
    // fleetd removes and recreates its socket as it restarts: worth retrying, like ENOENT locally
    return new TunnelRemoteSocketError(`through the SSH tunnel: ${detail}`, {
      tunnel: display,
      target: what,
      transient: true,
      cause: error,
    });
  }

  /** The live SSH connection, opening (or re-opening, once) as needed. */
  /**
   * The live SSH connection, opened on first use. Until it has been up once, a failed open is
   * retried by the caller's retries (transient: sshd may be starting). After it dropped, it is
   * re-opened at most `reconnects` times, one attempt each: a failed or exhausted reconnect is
   * final, so the run stops promptly and safely and a rerun resumes.
   */
  #ready(): Promise<ssh2.Client> {
    const { display, reconnects } = this.#options;
    if (this.#closed) return Promise.reject(new Error(`the SSH tunnel to ${display} is closed`));
    if (this.#client) return this.#client;
    const reconnecting = this.#everReady;
    if (reconnecting) {
      if (this.#reconnectsLeft <= 0) {
        return Promise.reject(
          new TunnelUnreachableError(
            `the SSH connection to ${display} dropped, and the ${reconnects} reconnect(s) allowed per run are used up; this run stops here (run it again to resume)`,
            { tunnel: display, reason: 'ECONNRESET', transient: false },
          ),
        );
      }
      this.#reconnectsLeft--;
    }
    const opening = this.#open().catch((error: unknown) => {
      if (!reconnecting || !(error instanceof TunnelUnreachableError)) throw error;
      throw new TunnelUnreachableError(
        `the SSH connection to ${display} dropped and could not be re-established (${error.message}); this run stops here (run it again to resume)`,
        { tunnel: display, reason: error.reason, transient: false, cause: error },
      );
    });
    this.#client = opening;
    opening.catch(() => {
      if (this.#client === opening) this.#client = undefined; // a failed open is not kept
    });
    return opening;
  }

  async #open(): Promise<ssh2.Client> {
    await this.check();
    const { Client } = await loadSsh2();
    const o = this.#options;
    const entries = o.strictHostKeyChecking ? readKnownHosts(o.knownHostsFiles) : [];
    return new Promise((resolve, reject) => {
      const client = new Client();
      let verdict: Error | undefined;
      let ready = false;
      client.on('ready', () => {
        ready = true;
        this.#connections++;
        this.#everReady = true;
        this.#live = client;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string }) => {
        if (!ready) reject(verdict ?? this.#openError(error));
      });
      client.on('close', () => {
        if (!ready) {
          reject(verdict ?? this.#unreachable(new Error('the connection closed during the SSH handshake')));
          return;
        }
        this.#dropped(client);
      });
      try {
        client.connect({
          host: o.host,
          port: o.port,
          username: o.username,
          readyTimeout: o.timeoutMs,
          keepaliveInterval: o.keepaliveInterval,
          keepaliveCountMax: 3,
          ...(o.agent ? { agent: o.agent } : {}),
          ...(o.privateKey !== undefined ? { privateKey: o.privateKey } : {}),
          ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
          algorithms: { serverHostKey: hostKeyAlgorithms(entries, o.host, o.port) as never },
          hostVerifier: (key: Buffer) => {
            if (!o.strictHostKeyChecking) return true;
            verdict = this.#hostKeyError(entries, key);
            return verdict === undefined;
          },
        });
        // small request/response exchanges: Nagle's algorithm would hold each back ~40 ms
        client.setNoDelay(true);
      } catch (error) {
        reject(this.#openError(error as Error));
      }
    });
  }

  #hostKeyError(entries: ReturnType<typeof readKnownHosts>, key: Buffer): Error | undefined {
    const o = this.#options;
    const result = checkHostKey(entries, o.host, o.port, key);
    if (result.kind === 'known') return undefined;
    const fingerprint = fingerprintOf(key);
    const keyType = keyTypeOf(key);
    if (result.kind === 'unknown') {
      const file = o.knownHostsFiles[0] ?? '~/.fleetctl/known_hosts';
      const line = knownHostsLine(o.host, o.port, key);
      const others =
        result.otherTypes.length > 0
          ? ` (known_hosts has only ${result.otherTypes.join(', ')} keys for it)`
          : '';
      return new HostKeyUnknownError(
        `the SSH host key of ${o.display} is not known${others}: ${keyType} key fingerprint ${fingerprint}. Refused. If that is the key of the machine (check it out of band, e.g. \`ssh-keygen -lf /etc/ssh/ssh_host_${keyType.replace(/^ssh-|-.*$/g, '')}_key.pub\` on it), add this line to ${file}:\n${line}`,
        { tunnel: o.display, fingerprint, keyType, knownHostsLine: line, knownHostsFile: file },
      );
    }
    const knownAt = `${result.entry.file}:${result.entry.line}`;
    const what = result.kind === 'revoked' ? 'is REVOKED' : 'HAS CHANGED';
    return new HostKeyChangedError(
      `WARNING: THE SSH HOST KEY OF ${o.display} ${what}! Refused: someone may be intercepting the connection (man-in-the-middle), or the machine was reinstalled. It presented the ${keyType} key ${fingerprint}; the key on record is at ${knownAt}. If the change is expected, remove the old line (ssh-keygen -R "${o.port === 22 ? o.host : `[${o.host}]:${o.port}`}" -f ${result.entry.file}) and check the new key out of band before adding it.`,
      { tunnel: o.display, fingerprint, keyType, knownAt },
    );
  }

  #openError(error: Error & { level?: string }): Error {
    const o = this.#options;
    if (error.level === 'client-authentication') {
      const offered = [
        o.agent ? 'the keys of ssh-agent (SSH_AUTH_SOCK)' : undefined,
        o.identityFile
          ? `the key in ${o.identityFile}`
          : o.privateKey !== undefined
            ? 'the given private key'
            : undefined,
      ].filter(Boolean);
      const tried =
        offered.length > 0
          ? `offered ${offered.join(' and ')}`
          : 'no key was offered (no ssh-agent, no identity file)';
      return new TunnelAuthError(
        `SSH authentication as "${o.username}" on ${o.display} failed: ${tried}, and the server accepted none. Check the user (--ssh-username) and that the key is in that user's authorized_keys.`,
        { tunnel: o.display, username: o.username, cause: error },
      );
    }
    if (error.level === 'agent') {
      return new TunnelAuthError(
        `SSH authentication on ${o.display}: the ssh-agent at ${o.agent} could not be used (${error.message}); is SSH_AUTH_SOCK right?`,
        { tunnel: o.display, username: o.username, cause: error },
      );
    }
    return this.#unreachable(error);
  }

  #unreachable(error: Error & { level?: string; code?: unknown }): TunnelUnreachableError {
    const o = this.#options;
    const code =
      error.level === 'client-timeout'
        ? 'ETIMEDOUT'
        : typeof error.code === 'string'
          ? error.code
          : undefined;
    const why =
      error.level === 'client-timeout'
        ? `no SSH handshake within ${o.timeoutMs} ms (--ssh-timeout)`
        : `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
    return new TunnelUnreachableError(`cannot reach the SSH tunnel host ${o.display}: ${why}`, {
      tunnel: o.display,
      reason: code,
      transient: code !== undefined && TRANSIENT.has(code),
      cause: error,
    });
  }
}
