/**
 * A real HAProxy (Debian `haproxy`) on loopback for the hooks test: one frontend, one backend `be`
 * with servers s1..sN on the given ports, health-checked, its runtime API on an admin socket.
 * Under CI=true a missing haproxy fails the test (.ci/run installs it); elsewhere it is skipped.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';

/** The haproxy binary, or undefined when it is not installed. */
export function haproxyBinary(): string | undefined {
  for (const bin of ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy']) {
    try {
      execFileSync(bin, ['-v'], { stdio: 'ignore' });
      return bin;
    } catch {
      // next
    }
  }
  return undefined;
}

/** A free loopback TCP port (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Haproxy {
  /** The frontend's port. */
  port: number;
  /** The admin socket (runtime API). */
  socket: string;
  /** One runtime API command; resolves with its answer. */
  command(line: string): Promise<string>;
  /** `s<i>` → haproxy's status (`UP`, `DOWN`, `MAINT`, …) and current sessions. */
  servers(): Promise<Map<string, { status: string; sessions: number }>>;
  stop(): Promise<void>;
}

export async function startHaproxy(bin: string, dir: string, backends: readonly number[]): Promise<Haproxy> {
  const port = await freePort();
  const socket = join(dir, 'haproxy.sock');
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      `  stats socket ${socket} mode 600 level admin`,
      'defaults',
      '  mode http',
      '  retries 0',
      '  timeout connect 1s',
      '  timeout client 10s',
      '  timeout server 10s',
      '  option http-server-close',
      `frontend fe`,
      `  bind 127.0.0.1:${port}`,
      '  default_backend be',
      'backend be',
      '  balance roundrobin',
      '  option httpchk GET /',
      ...backends.map((p, k) => `  server s${k + 1} 127.0.0.1:${p} check inter 500 fall 2 rise 1`),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(bin, ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const command = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const c = net.createConnection(socket);
      let out = '';
      c.on('data', (d) => {
        out += d.toString();
      });
      c.on('end', () => resolve(out));
      c.on('error', reject);
      c.write(`${line}\n`);
    });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await command('show info');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`haproxy did not start: ${String(error)}; ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    socket,
    command,
    async servers() {
      const csv = await command('show stat');
      const header = csv.split('\n')[0]!.replace(/^# /, '').split(',');
      const col = (name: string) => header.indexOf(name);
      const out = new Map<string, { status: string; sessions: number }>();
      for (const line of csv.split('\n').slice(1)) {
        const f = line.split(',');
        if (f[col('pxname')] !== 'be' || !/^s\d+$/.test(f[col('svname')] ?? '')) continue;
        out.set(f[col('svname')]!, { status: f[col('status')]!, sessions: Number(f[col('scur')]) });
      }
      return out;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Requests through the frontend, `workers` at a time, back to back, until stopped: how many, how many failed. */
export function hammer(port: number, workers = 4) {
  let stopped = false;
  const tally = { ok: 0, failed: 0, errors: new Map<string, number>() };
  const agent = new http.Agent({ keepAlive: true, maxSockets: workers });
  const once = () =>
    new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) tally.ok++;
          else {
            tally.failed++;
            const key = `HTTP ${res.statusCode}`;
            tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        tally.failed++;
        tally.errors.set(e.message, (tally.errors.get(e.message) ?? 0) + 1);
        resolve();
      });
    });
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) await once();
  });
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return tally;
    },
  };
}
