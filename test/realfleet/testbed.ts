/**
 * The real fleet v1.0.0 test bed (kit/: fleetd built from source with a stand-in systemd, one
 * etcd, N fleetd on loopback): where it is built, and starting/stopping one cluster on ports the
 * OS says are free, in a run directory of its own (so parallel runs never share data, PIDs or
 * ports). Used by the vitest globalSetup (once per test run) and by bench/realfleet.bench.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The kit committed with the repo (a copy of the shared realfleet kit). */
export const KIT_DIR = join(import.meta.dirname, 'kit');

/** The one command that builds the test bed (installs golang-go + etcd-server when missing). */
export const BUILD_COMMAND = 'npm run realfleet:build';

/** Where build.sh installs bin/fleetd, bin/fleetctl, start.sh, stop.sh. */
export function buildDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.REALFLEET || join(tmpdir(), 'fs-realfleet');
}

/** Why the test bed cannot start here, or undefined when it can. */
export function missingPieces(dir = buildDir()): string | undefined {
  for (const f of ['bin/fleetd', 'start.sh', 'stop.sh'])
    if (!existsSync(join(dir, f))) return `${join(dir, f)} is missing (build it: ${BUILD_COMMAND})`;
  if (!['/usr/bin/etcd', '/usr/local/bin/etcd'].some((p) => existsSync(p)) && !process.env.ETCD_BIN)
    return `etcd is not installed (${BUILD_COMMAND} installs etcd-server)`;
  return undefined;
}

/** A port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** What a started test bed gives a test. Serializable (it crosses vitest's provide/inject). */
export interface TestBed {
  /** `http://127.0.0.1:<port>`: the fleet API of machine 1. */
  endpoint: string;
  /** `unix:<dir>/fleet.sock`: the same API on a unix socket. */
  socketEndpoint: string;
  /** The run directory (logs/, data/m<i>/standin/journal/ for debugging). */
  dir: string;
  machines: number;
  /** The stand-in systemd's start delay, e.g. `1s`. */
  startDelay: string;
}

export interface StartOptions {
  machines?: number;
  /** FLEETD_SIM_START_DELAY (Go duration). @default '1s' */
  startDelay?: string;
  /** Build directory holding bin/ and the scripts. @default buildDir() */
  from?: string;
}

/**
 * Start a fresh cluster in a new run directory on free ports; resolves once fleet lists every
 * machine. The run directory links the built binaries and holds its own copies of the scripts
 * (start.sh/stop.sh work on the directory they live in).
 */
export async function startTestBed(options: StartOptions = {}): Promise<TestBed & { stop(): Promise<void> }> {
  const { machines = 3, startDelay = '1s', from = buildDir() } = options;
  const problem = missingPieces(from);
  if (problem) throw new Error(`real fleet test bed: ${problem}`);
  const dir = await mkdtemp(join(tmpdir(), 'fs-rf-'));
  await symlink(join(from, 'bin'), join(dir, 'bin'));
  for (const script of ['start.sh', 'stop.sh']) await copyFile(join(from, script), join(dir, script));
  const [etcd, peer, api] = await distinctFreePorts(3);
  const env = {
    ...process.env,
    REALFLEET_ETCD_PORT: String(etcd),
    REALFLEET_ETCD_PEER_PORT: String(peer),
    REALFLEET_API_PORT: String(api),
    FLEETD_SIM_START_DELAY: startDelay,
  };
  const stop = async () => {
    await run('bash', [join(dir, 'stop.sh')], { timeout: 30_000 }).catch(() => undefined);
  };
  try {
    await run('bash', [join(dir, 'start.sh'), '--fresh', String(machines)], { env, timeout: 90_000 });
  } catch (error) {
    await stop();
    const e = error as { stderr?: string; message: string };
    throw new Error(`real fleet test bed did not start in ${dir}: ${e.stderr || e.message}`);
  }
  return {
    endpoint: `http://127.0.0.1:${api}`,
    socketEndpoint: `unix:${join(dir, 'fleet.sock')}`,
    dir,
    machines,
    startDelay,
    stop,
  };
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Remove a stopped test bed's run directory (logs included). */
export async function removeRunDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
