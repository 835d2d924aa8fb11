/**
 * Errors of the SSH tunnel and the SOCKS proxy. Each is a FleetError with its own code; a request
 * that fails because of one rejects with it (not with a FleetUnreachableError), so a caller can
 * tell "fix your SSH key" from "fleet is down". No message ever holds key material or a passphrase.
 */
import {
  FLEET_ERROR_CODES,
  FleetError,
  type FleetErrorCode,
  type FleetErrorContext,
  isFleetError,
} from '../errors.js';

/** Context every tunnel error carries. */
export interface TunnelErrorContext extends FleetErrorContext {
  /** The SSH server, `host:port`, as the tunnel option names it. */
  tunnel: string;
}

/** Base of the SSH tunnel's errors: `tunnel` names the SSH server. */
export class TunnelError extends FleetError {
  override readonly name: string = 'TunnelError';
  /** The SSH server, `host:port`. */
  readonly tunnel: string;
  constructor(message: string, code: FleetErrorCode, context: TunnelErrorContext) {
    super(message, code, context);
    this.tunnel = context.tunnel;
  }
}

/** The SSH server cannot be reached: connection refused, no route, DNS, or no handshake within `timeout`. */
export class TunnelUnreachableError extends TunnelError {
  override readonly name = 'TunnelUnreachableError';
  /** The system error code behind it (`ECONNREFUSED`, `ETIMEDOUT`, …), or the SSH disconnect reason. */
  readonly reason: string | undefined;
  constructor(message: string, context: TunnelErrorContext & { reason?: string | undefined }) {
    super(message, FLEET_ERROR_CODES.tunnelUnreachable, context);
    this.reason = context.reason;
  }
}

/** The SSH server refused every key offered (ssh-agent's and the identity file's) for the user. */
export class TunnelAuthError extends TunnelError {
  override readonly name = 'TunnelAuthError';
  /** The SSH user name that was refused. */
  readonly username: string;
  constructor(message: string, context: TunnelErrorContext & { username: string }) {
    super(message, FLEET_ERROR_CODES.tunnelAuth, context);
    this.username = context.username;
  }
}

/** The SSH server's host key is in no known_hosts file: refused (never trusted silently). */
export class HostKeyUnknownError extends TunnelError {
  override readonly name = 'HostKeyUnknownError';
  /** The key's fingerprint as OpenSSH prints it, e.g. `SHA256:…`. */
  readonly fingerprint: string;
  /** The key type, e.g. `ssh-ed25519`. */
  readonly keyType: string;
  /** The known_hosts line that trusts this key, once checked out of band. */
  readonly knownHostsLine: string;
  /** The file to add it to (the first known_hosts file). */
  readonly knownHostsFile: string;
  constructor(
    message: string,
    context: TunnelErrorContext & {
      fingerprint: string;
      keyType: string;
      knownHostsLine: string;
      knownHostsFile: string;
    },
  ) {
    super(message, FLEET_ERROR_CODES.hostKeyUnknown, context);
    this.fingerprint = context.fingerprint;
    this.keyType = context.keyType;
    this.knownHostsLine = context.knownHostsLine;
    this.knownHostsFile = context.knownHostsFile;
  }
}

/** The SSH server presented a key other than the one known_hosts has for it (or a revoked one). */
export class HostKeyChangedError extends TunnelError {
  override readonly name = 'HostKeyChangedError';
  /** Fingerprint of the key the server presented. */
  readonly fingerprint: string;
  readonly keyType: string;
  /** Where the key on record is: `file:line`. */
  readonly knownAt: string;
  constructor(
    message: string,
    context: TunnelErrorContext & { fingerprint: string; keyType: string; knownAt: string },
  ) {
    super(message, FLEET_ERROR_CODES.hostKeyChanged, context);
    this.fingerprint = context.fingerprint;
    this.keyType = context.keyType;
    this.knownAt = context.knownAt;
  }
}

/**
 * The tunnel is up but the far end is not there: no socket at the path on the tunnel host (is
 * fleetd running?), the TCP address refused the tunnel host, or its sshd forbids forwarding.
 */
export class TunnelRemoteSocketError extends TunnelError {
  override readonly name = 'TunnelRemoteSocketError';
  /** What the tunnel host was asked to connect to: a socket path or `host:port`. */
  readonly target: string;
  constructor(message: string, context: TunnelErrorContext & { target: string }) {
    super(message, FLEET_ERROR_CODES.remoteSocket, context);
    this.target = context.target;
  }
}

/** The SOCKS proxy cannot be reached, or it could not connect to the destination. */
export class SocksProxyError extends FleetError {
  override readonly name = 'SocksProxyError';
  /** The proxy, `host:port`. */
  readonly proxy: string;
  /** Where the proxy was asked to connect, `host:port`. */
  readonly target: string;
  /** The system error code or the proxy's reply, e.g. `ECONNREFUSED`, `HostUnreachable`. */
  readonly reason: string | undefined;
  constructor(
    message: string,
    context: FleetErrorContext & { proxy: string; target: string; reason?: string | undefined },
  ) {
    super(message, FLEET_ERROR_CODES.socksProxy, context);
    this.proxy = context.proxy;
    this.target = context.target;
    this.reason = context.reason;
  }
}

/** Type guards (by code, so they work across duplicated copies of the package). */
export const isTunnelUnreachableError = (e: unknown): e is TunnelUnreachableError =>
  isFleetError(e, FLEET_ERROR_CODES.tunnelUnreachable);
export const isTunnelAuthError = (e: unknown): e is TunnelAuthError =>
  isFleetError(e, FLEET_ERROR_CODES.tunnelAuth);
export const isHostKeyUnknownError = (e: unknown): e is HostKeyUnknownError =>
  isFleetError(e, FLEET_ERROR_CODES.hostKeyUnknown);
export const isHostKeyChangedError = (e: unknown): e is HostKeyChangedError =>
  isFleetError(e, FLEET_ERROR_CODES.hostKeyChanged);
export const isTunnelRemoteSocketError = (e: unknown): e is TunnelRemoteSocketError =>
  isFleetError(e, FLEET_ERROR_CODES.remoteSocket);
export const isSocksProxyError = (e: unknown): e is SocksProxyError =>
  isFleetError(e, FLEET_ERROR_CODES.socksProxy);
