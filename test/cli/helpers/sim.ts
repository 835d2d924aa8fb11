// A sped-up simulator in the test process, on a unix socket or on TCP loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FleetSim, startFleetSim } from '@fleet-service/fleet-sim';
import { afterAll, beforeAll } from 'vitest';
import { fastEnv } from './run-cli.js';

/** Real clock, sped up so a whole rollout of a few instances takes well under 2 s. */
export const SIM_SPEED = 100;

export interface TestSim {
  sim: FleetSim;
  endpoint: string;
  dir: string;
  /** Writes a unit file into the temp dir, returns its path. */
  unitFile(name: string, text: string): string;
  /** Requests that change the cluster (PUT, DELETE, PATCH) since `from` (an index into the log). */
  mutationsSince(from: number): Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

export async function startTestSim(
  transport: 'unix' | 'tcp',
  opts: { machines?: number } = {},
): Promise<TestSim> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-cli-e2e-'));
  const sim = await startFleetSim({
    machines: opts.machines ?? 3,
    speed: SIM_SPEED,
    listen: transport === 'unix' ? { socketPath: join(dir, 'fleet.sock') } : { host: '127.0.0.1', port: 0 },
  });
  return {
    sim,
    endpoint: sim.endpoint,
    dir,
    unitFile(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    mutationsSince(from) {
      return sim.cluster.requests
        .slice(from)
        .filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
        .map((r) => ({ method: r.method, path: r.path }));
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A unit file for the sample service; `version` goes into Environment=VERSION=… */
export function webUnit(version: string): string {
  return `[Unit]
Description=web ${version}

[Service]
Environment=VERSION=${version}
ExecStart=/usr/bin/web --version ${version}
`;
}

/**
 * A simulator for the tests of the enclosing describe: started before them, closed after them.
 * `sim.t` and `sim.env` (fastEnv pointed at it) are read inside the tests.
 */
export function simForTests(transport: 'unix' | 'tcp'): { t: TestSim; env: Record<string, string> } {
  const holder = {} as { t: TestSim; env: Record<string, string> };
  beforeAll(async () => {
    holder.t = await startTestSim(transport);
    holder.env = fastEnv({ FLEETCTL_ENDPOINT: holder.t.endpoint });
  });
  afterAll(async () => {
    await holder.t?.close();
  });
  return holder;
}
