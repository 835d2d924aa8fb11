/**
 * Shared pieces of the rollout scenarios on real fleet: unit contents per version, the service's
 * instances as fleet shows them, a /state capacity sampler, and rollout settings that are quick
 * yet keep every safety (a 2 s stability window observed, 250 ms polls).
 */
import { type FleetApi, type UnitOption, unitHash } from '@fleet-service/fleet-client';
import type { RolloutSpec } from '@fleet-service/rollout';

/** `S@.service` contents of version `tag`: a long-running process; the tag makes the hash differ. */
export function version(tag: string, exec = '/bin/sleep infinity'): UnitOption[] {
  return [
    { section: 'Unit', name: 'Description', value: `realfleet test ${tag}` },
    { section: 'Service', name: 'Environment', value: `FS_VERSION=${tag}` },
    { section: 'Service', name: 'ExecStart', value: exec },
  ];
}

export const hashOf = unitHash;

/** Fast settings for tests: the engine's safeties stay (window observed, timeouts bounded). */
export const QUICK: Partial<RolloutSpec> = {
  minHealthyMs: 2_000,
  pollIntervalMs: 250,
  timeouts: { stop: 60_000, gone: 60_000, launched: 60_000, healthy: 60_000 },
};

const instanceRe = (service: string) => new RegExp(`^${service}@(\\d+)\\.service$`);

/** Indexed instances of `service` in /units, sorted by index. */
export async function instanceNames(api: FleetApi, service: string): Promise<string[]> {
  const re = instanceRe(service);
  return (await api.listUnits())
    .map((u) => u.name)
    .filter((n) => re.test(n))
    .sort((a, b) => Number(re.exec(a)?.[1]) - Number(re.exec(b)?.[1]));
}

/** /state of each indexed instance of `service`: name → {hash, active}. */
export async function instanceStates(
  api: FleetApi,
  service: string,
): Promise<Map<string, { hash?: string; active: boolean }>> {
  const re = instanceRe(service);
  const out = new Map<string, { hash?: string; active: boolean }>();
  for (const s of await api.listUnitStates()) {
    if (!s.name || !re.test(s.name)) continue;
    out.set(s.name, {
      ...(s.hash ? { hash: s.hash } : {}),
      active: s.systemdLoadState === 'loaded' && s.systemdActiveState === 'active',
    });
  }
  return out;
}

/** Samples how many instances of `service` /state shows active, every `everyMs`, until stopped. */
export function sampleCapacity(api: FleetApi, service: string, everyMs = 200) {
  const samples: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const states = await instanceStates(api, service);
      samples.push([...states.values()].filter((s) => s.active).length);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    async stop(): Promise<number[]> {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/** Poll until `probe` holds (real time, with a deadline). */
export async function eventually(what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every listed instance of `service` is active on fleet with exactly `hash`, and there are `count`. */
export async function allRunning(
  api: FleetApi,
  service: string,
  hash: string,
  count: number,
): Promise<boolean> {
  const names = await instanceNames(api, service);
  const states = await instanceStates(api, service);
  return names.length === count && names.every((n) => states.get(n)?.active && states.get(n)?.hash === hash);
}
