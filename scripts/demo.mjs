#!/usr/bin/env node
// `npm run demo` (after install + build): a real rolling update against the fleet simulator.
//   1. start a simulated 3-machine fleet cluster in this process (20× faster than a real fleet)
//   2. fs create web examples/web-v1.service --count 3
//   3. fs create web examples/web-v2.service --max-surge 1   (zero downtime, measured)
//   4. fs create web examples/web-bad.service --on-failure rollback   (fails, rolled back: exit 7)
//   5. fs status web, then shut the simulator down
// Every fs command runs as a real subprocess of the built CLI (packages/cli/bin/run.js).
// Environment: DEMO_SPEED (default 20).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runJs = join(root, 'packages', 'cli', 'bin', 'run.js');
const simDist = join(root, 'packages', 'fleet-sim', 'dist', 'index.js');
const clientDist = join(root, 'packages', 'fleet-client', 'dist', 'index.js');
for (const f of [simDist, clientDist, join(root, 'packages', 'cli', 'dist', 'index.js')]) {
  if (!existsSync(f)) {
    console.error(`demo: ${relative(root, f)} is missing; build first (npm run build)`);
    process.exit(1);
  }
}
const { startFleetSim } = await import(pathToFileURL(simDist).href);
const { parseUnitFile, unitHash } = await import(pathToFileURL(clientDist).href);
const { readFileSync } = await import('node:fs');

const speed = Number(process.env.DEMO_SPEED ?? 20);
const tty = Boolean(process.stdout.isTTY);
const bold = (s) => (tty && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s);
const example = (name) =>
  relative(process.cwd(), join(root, 'examples', name)) || join(root, 'examples', name);
const hashOf = (name) => unitHash(parseUnitFile(readFileSync(join(root, 'examples', name), 'utf8')));
const isWeb = (name) => /^web@\d+\.service$/.test(name);

const dir = mkdtempSync(join(tmpdir(), 'fs-demo-'));
const sim = await startFleetSim({
  machines: 3,
  speed,
  listen: { socketPath: join(dir, 'fleet.sock') },
  // the simulated systemd fails any unit whose Environment says VERSION=bad
  faults: [{ kind: 'unit-start-fails', match: { option: { name: 'Environment', value: 'VERSION=bad' } } }],
});

const env = {
  ...process.env,
  FLEETCTL_ENDPOINT: sim.endpoint,
  // scaled to the simulator's speed: poll often, a short stability window
  FS_POLL_INTERVAL: '100ms',
  FS_MIN_HEALTHY: '1s',
};

function step(title) {
  console.log(`\n${bold(`━━ ${title}`)}`);
}

/** Runs `fs ARGS` with the terminal attached (live progress in a TTY); resolves its exit code. */
function fs(args) {
  console.log(bold(`$ fs ${args.join(' ')}`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runJs, ...args], { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function serving() {
  return sim.cluster
    .units()
    .filter((u) => isWeb(u.name))
    .map((u) => u.hash.slice(0, 7))
    .join(' ');
}

let failed = false;
function check(ok, message) {
  console.log(`${ok ? '✔' : '✖'} ${message}`);
  if (!ok) failed = true;
}

const stop = async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => {
  void stop().then(() => process.exit(130));
});

try {
  console.log(`fleet simulator: 3 machines, ${speed}× real fleet speed, on ${sim.endpoint}`);

  step('1. create the service: 3 instances of v1');
  check((await fs(['create', 'web', example('web-v1.service'), '--count', '3'])) === 0, 'exit code 0');

  step('2. roll out v2 with zero downtime (a spare instance starts before each old one stops)');
  const from = sim.cluster.clock.now();
  check((await fs(['create', 'web', example('web-v2.service'), '--max-surge', '1'])) === 0, 'exit code 0');
  const minRunning = sim.cluster.timeline.minActive(isWeb, from, sim.cluster.clock.now());
  check(
    minRunning >= 3,
    `instances running at every moment of the rollout: at least ${minRunning} of 3 (zero downtime)`,
  );
  const v2 = hashOf('web-v2.service').slice(0, 7);
  check(serving() === `${v2} ${v2} ${v2}`, `every instance runs v2 (${v2})`);

  step('3. roll out a bad version: it fails to start and is rolled back');
  const code = await fs(['create', 'web', example('web-bad.service'), '--on-failure', 'rollback']);
  check(code === 7, `exit code ${code} (7 = the rollout failed and was rolled back)`);
  check(serving() === `${v2} ${v2} ${v2}`, `every instance runs v2 again (${v2})`);

  step('4. the service now');
  await fs(['status', 'web']);
} finally {
  await stop();
  console.log(`\nsimulator stopped${failed ? '; something above did not go as expected' : ''}`);
}
process.exit(failed ? 1 : 0);
