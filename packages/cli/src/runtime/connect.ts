import type { FleetApi } from '@fleet-service/fleet-client';
import { NotFleetError, UsageError } from '../usage-error.js';

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

const TRANSPORT_CODES = new Set(['ERR_FLEET_UNREACHABLE', 'ERR_FLEET_TIMEOUT']);

/**
 * The first read: asks for the `Server: fleetd/…` header. Unreachable endpoints fail with the
 * client's own error; an endpoint that answers but not as fleet fails with NotFleetError.
 * Returns fleetd's version, e.g. `1.0.0`.
 */
export async function checkIsFleet(api: FleetApi, endpoint: string, signal?: AbortSignal): Promise<string> {
  let version: string | undefined;
  try {
    version = await api.serverVersion(signal ? { signal } : {});
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSPORT_CODES.has(code)) throw error;
    if (signal?.aborted) throw error;
    throw new NotFleetError(endpoint, `its answer was not fleet's (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!version) throw new NotFleetError(endpoint, 'its responses carry no "Server: fleetd/…" header');
  return version;
}
