import type { FleetApi } from '@fleet-service/fleet-client';
import { UsageError } from '../usage-error.js';

/** Connection settings from the global flags. */
export interface ConnectionSettings {
  endpoint: string;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Per-request timeout in ms. @default 5000 (the client's default) */
  requestTimeoutMs?: number | undefined;
}

/**
 * Builds the fleet client. No request is made: this validates the endpoint and reads TLS
 * files, so bad input fails here, before anything touches the cluster.
 */
export async function createClient(settings: ConnectionSettings): Promise<FleetApi> {
  const { createFleetClient } = await import('@fleet-service/fleet-client');
  try {
    return build(createFleetClient, settings);
  } catch (error) {
    // name the flag, not the library option: "--ca-file: cannot read …"
    const option = (error as { option?: unknown }).option;
    const flag = typeof option === 'string' ? OPTION_FLAGS[option] : undefined;
    if (!flag) throw error;
    const why = (error as Error).message.replace(/^invalid fleet client option [\w.]+: /, '');
    throw new UsageError(`${flag}: ${why}`, { cause: error, code: 'ERR_FLEET_INVALID_OPTIONS' });
  }
}

const OPTION_FLAGS: Record<string, string> = {
  caFile: '--ca-file',
  certFile: '--cert-file',
  keyFile: '--key-file',
  'timeout.request': '--request-timeout',
};

function build(
  createFleetClient: typeof import('@fleet-service/fleet-client').createFleetClient,
  settings: ConnectionSettings,
): FleetApi {
  return createFleetClient({
    endpoint: settings.endpoint,
    ...(settings.caFile ? { caFile: settings.caFile } : {}),
    ...(settings.certFile ? { certFile: settings.certFile } : {}),
    ...(settings.keyFile ? { keyFile: settings.keyFile } : {}),
    ...(settings.requestTimeoutMs ? { timeout: { request: settings.requestTimeoutMs } } : {}),
  });
}

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
