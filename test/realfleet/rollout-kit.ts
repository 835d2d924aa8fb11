/**
 * Shared pieces of the rollout scenarios on real fleet: unit contents per version, the service's
 * instances as fleet shows them, a /state capacity sampler, and rollout settings that are quick
 * yet keep every safety (a 2 s stability window observed, 250 ms polls).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * What really runs, whatever /state says: the stand-in systemd records each started process in
 * `<bed>/data/m<i>/standin/pids/<unit>.pid` (removed when it exits); a unit runs when that process
 * is alive and not a zombie. Returns the indexed instances of `service` that run, with their
 * `FS_VERSION` (read from the process's environment).
 */
export function runningProcesses(bedDir: string, service: string): Map<string, string | undefined> {
  const re = instanceRe(service);
  const out = new Map<string, string | undefined>();
  const data = join(bedDir, 'data');
  for (const m of safeList(data)) {
    const pids = join(data, m, 'standin', 'pids');
    for (const file of safeList(pids)) {
      const unit = file.replace(/\.pid$/, '');
      if (!re.test(unit)) continue;
      const pid = safeRead(join(pids, file))?.trim();
      const stat = pid && safeRead(`/proc/${pid}/stat`);
      if (!stat || /^\d+ \(.*\) Z/.test(stat)) continue;
      const env = safeRead(`/proc/${pid}/environ`) ?? '';
      const tag = env.split('\0').find((e) => e.startsWith('FS_VERSION='));
      out.set(unit, tag?.slice('FS_VERSION='.length));
    }
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** One capacity sample: instances active in /state, processes really running, and the ones fleet lost. */
export interface CapacitySample {
  /** Instances `loaded`/`active` in /state. */
  state: number;
  /** Instances whose process runs (the stand-in's pid files). */
  running: number;
  /** Running instances with no /state entry at all: fleet v1.0 wiped it (see `stateWiped`). */
  wiped: string[];
}

/**
 * Samples `service` every `everyMs` until stopped: /state and, with `bedDir`, the processes.
 * fleet v1.0 fault seen with recreate: when a unit is destroyed and created again under the same
 * name on another machine, the old machine's agent later calls `RemoveUnitState(name)`, which
 * deletes `/states/<name>/` recursively — the new machine's entry too — and /state shows no entry
 * for a running instance until its agent republishes (every 24 s). `wiped` lists those instances.
 */
export function sampleCapacity(api: FleetApi, service: string, bedDir?: string, everyMs = 200) {
  const samples: CapacitySample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const states = await instanceStates(api, service);
      const procs = bedDir ? runningProcesses(bedDir, service) : new Map<string, string | undefined>();
      samples.push({
        state: [...states.values()].filter((s) => s.active).length,
        running: procs.size,
        wiped: [...procs.keys()].filter((u) => !states.has(u)),
      });
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    samples,
    async stop(): Promise<CapacitySample[]> {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/** `3,3,2(+1 wiped)` … for assertion messages. */
export function describeSamples(samples: CapacitySample[]): string {
  return samples
    .map((s) => `${s.state}/${s.running}${s.wiped.length ? `(wiped ${s.wiped.join(' ')})` : ''}`)
    .join(',');
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
