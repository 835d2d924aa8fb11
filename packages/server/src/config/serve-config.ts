/**
 * The services `fs serve` knows: `fs apply`'s services.yaml (one parser, one validator), whose
 * entries may also say `image` (the repository they run), `allowUpdates`, `notify` and `task` (the
 * one-off task's unit template, read here).
 */
import {
  type DesiredService,
  type LoadOptions,
  loadDesiredState,
  SourceError,
  SourceReader,
} from '@fleet-service/apply';
import { ServeConfigError } from '../errors.js';

export interface ServeConfig {
  /** services.yaml's URL or path. */
  source: string;
  /** By service name (`web` for `web@.service`). */
  services: ReadonlyMap<string, DesiredService>;
  /** Task unit templates by service name (entries with `task`). */
  tasks?: ReadonlyMap<string, { text: string; source: string }>;
}

/** Load and validate the config (DesiredStateError with every problem at once when it is wrong). */
export async function loadServeConfig(
  opts: Pick<LoadOptions, 'file' | 'rootUri' | 'signal' | 'allowEmpty'>,
): Promise<ServeConfig> {
  const desired = await loadDesiredState(opts);
  const reader = new SourceReader(opts.signal ? { signal: opts.signal } : {});
  const tasks = new Map<string, { text: string; source: string }>();
  for (const d of desired.services) {
    if (!d.task) continue;
    try {
      const read = await reader.read(d.task);
      tasks.set(d.service, { text: read.text, source: read.source });
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      throw new ServeConfigError(`task of ${d.name}: ${error.message}`, { cause: error });
    }
  }
  return configOf(desired.source, desired.services, tasks);
}

export function configOf(
  source: string,
  services: readonly DesiredService[],
  tasks?: ReadonlyMap<string, { text: string; source: string }>,
): ServeConfig {
  return { source, services: new Map(services.map((s) => [s.service, s])), ...(tasks ? { tasks } : {}) };
}
