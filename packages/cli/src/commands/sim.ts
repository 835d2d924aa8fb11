import { Flags } from '@oclif/core';
import { FsCommand } from '../base-command.js';
import { parseInteger } from '../flags/duration.js';

export default class Sim extends FsCommand {
  static override summary = 'Run a simulated fleet v1.0 cluster in the foreground (Ctrl-C stops it)';
  static override description =
    'Prints the endpoint and the line that points fs (and fleetctl) at it (export FLEETCTL_ENDPOINT=…). Stops cleanly on Ctrl-C or SIGTERM (closes the server and removes its socket).';
  static override examples = [
    '<%= config.bin %> sim',
    '<%= config.bin %> sim --machines 5 --listen 127.0.0.1:49153 --speed 10',
    '<%= config.bin %> sim --listen unix:/tmp/fleet.sock --fail-when Environment=VERSION=bad',
    '<%= config.bin %> sim --api-fault error:503,probability=0.1 --api-fault "latency:2s,route=GET /units"',
    '<%= config.bin %> sim --kill-machine 127.0.8.102@30s --slow-start "web@2.service@1m"',
    '<%= config.bin %> sim --ready-file /tmp/fs-sim.json &',
  ];
  static override flags = {
    machines: Flags.custom<number>({
      summary: 'number of machines',
      env: 'FS_SIM_MACHINES',
      default: 3,
      helpValue: 'N',
      parse: async (input) => parseInteger(input, 'machines', 1, 10_000),
    })(),
    listen: Flags.string({
      summary: 'where to serve the API: unix:PATH or HOST:PORT [default: 127.0.0.1 on a free port]',
      env: 'FS_SIM_LISTEN',
    }),
    speed: Flags.custom<number>({
      summary: 'time scale: 10 runs ten times faster than a real fleet',
      env: 'FS_SIM_SPEED',
      default: 1,
      helpValue: 'X',
      parse: async (input) => {
        const n = Number(input);
        if (!Number.isFinite(n) || n <= 0 || n > 10_000) {
          const { UsageError } = await import('../usage-error.js');
          throw new UsageError(`--speed: "${input}" is not a number between 0 and 10000`);
        }
        return n;
      },
    })(),
    'fail-when': Flags.string({
      summary:
        'units matching PATTERN fail to start: a unit-name glob, or Option=VALUE (e.g. Environment=VERSION=bad)',
      env: 'FS_SIM_FAIL_WHEN',
      multiple: true,
      helpValue: 'PATTERN',
    }),
    'slow-start': Flags.string({
      summary:
        'units matching PATTERN (as in --fail-when) take DURATION longer to start (fleet time, divided by --speed)',
      env: 'FS_SIM_SLOW_START',
      multiple: true,
      helpValue: 'PATTERN@DURATION',
    }),
    'api-fault': Flags.string({
      summary:
        'the API misbehaves: KIND[:VALUE][,KEY=VALUE…], KIND one of error:STATUS, etcd-unavailable, reset, latency:DURATION, drop-response; KEY one of route, probability, count',
      env: 'FS_SIM_API_FAULT',
      multiple: true,
      helpValue: 'FAULT',
    }),
    'kill-machine': Flags.string({
      summary:
        'a machine dies AFTER this long (real time after start): [MACHINE@]AFTER, MACHINE an id, id prefix or IP (default: the first live one)',
      env: 'FS_SIM_KILL_MACHINE',
      multiple: true,
      helpValue: '[MACHINE@]AFTER',
    }),
    'ready-file': Flags.string({
      summary:
        'once listening, write {"endpoint","pid"} to FILE (removed on stop): a ready signal for scripts',
      env: 'FS_SIM_READY_FILE',
      helpValue: 'FILE',
    }),
    seed: Flags.custom<number>({
      summary: 'seed for ids and timing jitter',
      env: 'FS_SIM_SEED',
      helpValue: 'N',
      parse: async (input) => parseInteger(input, 'seed', 0, 2 ** 31),
    })(),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sim);
    const mode = this.setup(flags);
    const { parseListen, parseFailWhen, exportLine } = await import('../runtime/sim-options.js');
    const { parseApiFault, parseSlowStart, parseKillMachine, machineDeath, describeFault } = await import(
      '../runtime/sim-faults.js'
    );
    const listen = flags.listen ? parseListen(flags.listen) : undefined;
    const faults = [
      ...(flags['fail-when'] ?? []).map(parseFailWhen),
      ...(flags['slow-start'] ?? []).map(parseSlowStart),
      ...(flags['api-fault'] ?? []).map(parseApiFault),
    ];
    const deaths = (flags['kill-machine'] ?? []).map(parseKillMachine);
    const { startFleetSim } = await import('@fleet-service/fleet-sim');
    const sim = await startFleetSim({
      machines: flags.machines,
      speed: flags.speed,
      ...(listen ? { listen } : {}),
      ...(faults.length > 0 ? { faults } : {}),
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    });
    try {
      // machines are known only now: resolve each MACHINE, then schedule the deaths
      const machines = sim.cluster.machines();
      const deathFaults = deaths.map((d) => machineDeath(d, machines));
      for (const fault of deathFaults) sim.cluster.addFault(fault);
      faults.push(...deathFaults);
    } catch (error) {
      await sim.close();
      throw error;
    }
    const readyFile = flags['ready-file'];
    const ready = readyFile ? await import('../runtime/ready-file.js') : undefined;
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    if (readyFile) await ready?.writeReadyFile(readyFile, { endpoint: sim.endpoint, pid: process.pid });
    const info = {
      endpoint: sim.endpoint,
      machines: flags.machines,
      speed: flags.speed,
      pid: process.pid,
      ...(faults.length > 0 ? { faults } : {}),
    };
    if (mode.format === 'text') {
      process.stdout.write(
        `fleet simulator: ${flags.machines} machine(s), speed ×${flags.speed}, listening on ${sim.endpoint}\n` +
          faults.map((f) => `fault: ${describeFault(f)}\n`).join('') +
          `${exportLine(sim.endpoint)}\n` +
          'press Ctrl-C to stop\n',
      );
    } else {
      process.stdout.write(`${JSON.stringify({ type: 'listening', ...info })}\n`);
    }
    const signal = await stopped;
    if (readyFile) await ready?.removeReadyFile(readyFile);
    await sim.close();
    if (mode.format === 'text') process.stdout.write(`simulator stopped (${signal})\n`);
    else process.stdout.write(`${JSON.stringify({ type: 'stopped', signal })}\n`);
  }
}
