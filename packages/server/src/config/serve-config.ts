/**
 * The services `fs serve` knows: `fs apply`'s services.yaml (one parser, one validator), whose
 * entries may also say `image` (the repository they run), `allowUpdates` and `notify`.
 */
import { type DesiredService, type LoadOptions, loadDesiredState } from '@fleet-service/apply';

export interface ServeConfig {
  /** services.yaml's URL or path. */
  source: string;
  /** By service name (`web` for `web@.service`). */
  services: ReadonlyMap<string, DesiredService>;
}

/** Load and validate the config (DesiredStateError with every problem at once when it is wrong). */
export async function loadServeConfig(
  opts: Pick<LoadOptions, 'file' | 'rootUri' | 'signal' | 'allowEmpty'>,
): Promise<ServeConfig> {
  const desired = await loadDesiredState(opts);
  return configOf(desired.source, desired.services);
}

export function configOf(source: string, services: readonly DesiredService[]): ServeConfig {
  return { source, services: new Map(services.map((s) => [s.service, s])) };
}
