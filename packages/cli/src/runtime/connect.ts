import type { FleetApi, SshTunnel, SshTunnelOptions } from '@fleet-service/fleet-client';
import type { HealthCheckConnect } from '@fleet-service/rollout';
import { UsageError } from '../usage-error.js';

/** Connection settings from the global flags (runtime/settings.ts). */
export interface ConnectionSettings {
  endpoint: string;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Per-request timeout in ms. @default 5000 (the client's default) */
  requestTimeoutMs?: number | undefined;
  /** --tunnel and the --ssh-* flags: every request (and health check) through one SSH connection. */
  tunnel?: SshTunnelOptions | undefined;
  /** --socks-proxy: every request (and health check) through this SOCKS5 proxy. */
  socksProxy?: string | undefined;
}

/** The SSH tunnel of each settings object: one per run, shared by the client and the health checks. */
const tunnels = new WeakMap<ConnectionSettings, SshTunnel>();
const openTunnels = new Set<SshTunnel>();

async function tunnelFor(settings: ConnectionSettings): Promise<SshTunnel | undefined> {
  if (!settings.tunnel) return undefined;
  let tunnel = tunnels.get(settings);
  if (!tunnel) {
    const { createSshTunnel } = await import('@fleet-service/fleet-client');
    tunnel = inFlagTerms(() => createSshTunnel(settings.tunnel as SshTunnelOptions));
    // the identity file parses (and decrypts) before anything is sent
    await tunnel.check().catch((error: unknown) => {
      throw flagError(error);
    });
    tunnels.set(settings, tunnel);
    openTunnels.add(tunnel);
  }
  return tunnel;
}

/** Ends every SSH connection this process opened (the base command calls it as a command ends). */
export function closeConnections(): void {
  for (const tunnel of openTunnels) tunnel.close();
  openTunnels.clear();
}

/**
 * How health checks open their connections: through the run's SSH tunnel or SOCKS proxy (machine
 * IPs are usually reachable only from inside the cluster); `undefined` for direct connections.
 */
export async function healthCheckConnect(
  settings: ConnectionSettings,
): Promise<HealthCheckConnect | undefined> {
  const tunnel = await tunnelFor(settings);
  if (tunnel) return tunnel.dial;
  if (!settings.socksProxy) return undefined;
  const { createSocksProxy } = await import('@fleet-service/fleet-client');
  const proxy = settings.socksProxy;
  return inFlagTerms(() => createSocksProxy(proxy)).dial;
}

/**
 * Builds the fleet client. No request is made: this validates the endpoint and reads TLS
 * files, so bad input fails here, before anything touches the cluster.
 */
export async function createClient(settings: ConnectionSettings): Promise<FleetApi> {
  const { createFleetClient } = await import('@fleet-service/fleet-client');
  const tunnel = await tunnelFor(settings);
  return inFlagTerms(() =>
    createFleetClient({
      endpoint: settings.endpoint,
      ...(settings.caFile ? { caFile: settings.caFile } : {}),
      ...(settings.certFile ? { certFile: settings.certFile } : {}),
      ...(settings.keyFile ? { keyFile: settings.keyFile } : {}),
      ...(settings.requestTimeoutMs ? { timeout: { request: settings.requestTimeoutMs } } : {}),
      ...(tunnel ? { connect: tunnel.connect } : {}),
      ...(settings.socksProxy ? { socksProxy: settings.socksProxy } : {}),
    }),
  );
}

/** Runs a fleet-client constructor; an invalid option is reported as the flag (or variable) that set it. */
function inFlagTerms<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw flagError(error);
  }
}

/** An invalid fleet-client option as a UsageError naming the flag: "--ca-file: cannot read …". */
function flagError(error: unknown): unknown {
  const option = (error as { option?: unknown }).option;
  const flag = typeof option === 'string' ? OPTION_FLAGS[option] : undefined;
  if (!flag) return error;
  const why = (error as Error).message.replace(/^invalid fleet client option [\w.]+: /, '');
  return new UsageError(`${flag}: ${why}`, { cause: error, code: 'ERR_FLEET_INVALID_OPTIONS' });
}

const OPTION_FLAGS: Record<string, string> = {
  caFile: '--ca-file',
  certFile: '--cert-file',
  keyFile: '--key-file',
  'timeout.request': '--request-timeout',
  tunnel: '--tunnel',
  'tunnel.host': '--tunnel',
  'tunnel.port': '--tunnel',
  'tunnel.username': '--ssh-username',
  'tunnel.timeout': '--ssh-timeout',
  'tunnel.identityFile': '--ssh-identity-file',
  'tunnel.passphrase': 'FS_SSH_PASSPHRASE',
  'tunnel.agent': 'SSH_AUTH_SOCK',
  'tunnel.knownHostsFiles': '--known-hosts-file',
  socksProxy: '--socks-proxy',
  'socksProxy.timeout': '--socks-proxy',
};

/**
 * The first read: fleet-client's `verifyFleet` (the `Server: fleetd/…` header). Unreachable
 * endpoints fail with the client's own error (fast: a client that never had a response retries
 * only for `retry.firstContactTime`), a fleet that keeps answering 503 with FleetUnavailableError,
 * and an endpoint that answers but not as fleet with NotFleetError (`ERR_NOT_FLEET`). Returns
 * fleetd's version, e.g. `1.0.0`.
 */
export async function checkIsFleet(api: FleetApi, endpoint: string, signal?: AbortSignal): Promise<string> {
  const { verifyFleet } = await import('@fleet-service/fleet-client');
  return verifyFleet(api, { endpoint, ...(signal ? { signal } : {}) });
}
