// A REAL beanstalkd (Debian package `beanstalkd`) started by the test on a free loopback port, as
// the user running the tests, in the foreground; stopped by close(). Without the binary the
// tests skip with an install hint — except when FS_REQUIRE_BEANSTALKD=1 (set by .ci/run) or
// CI=true, where they fail: CI installs it, so a missing server is a broken CI, not a skip.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { refusedPort } from './capture-server.js';

export const BEANSTALKD_INSTALL_HINT =
  'beanstalkd is not installed: `sudo apt-get install -y beanstalkd` (Debian/Ubuntu) or `brew install beanstalkd`';

/** Whether the beanstalkd tests must run (fail instead of skip). */
export function beanstalkdRequired(): boolean {
  return process.env.FS_REQUIRE_BEANSTALKD === '1' || process.env.CI === 'true';
}

/** Path of the beanstalkd binary, or undefined. */
export function findBeanstalkd(): string | undefined {
  for (const candidate of [
    'beanstalkd',
    '/usr/bin/beanstalkd',
    '/usr/sbin/beanstalkd',
    '/usr/local/bin/beanstalkd',
  ]) {
    const r = spawnSync(candidate, ['-v'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

export interface Beanstalkd {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startBeanstalkd(binary: string): Promise<Beanstalkd> {
  const port = await refusedPort();
  const child: ChildProcess = spawn(binary, ['-l', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 200; i++) {
    if (await accepts(port)) {
      return {
        host: '127.0.0.1',
        port,
        close: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10)); // waiting for a child process to listen, not for time to pass
  }
  child.kill('SIGKILL');
  throw new Error(`beanstalkd did not start on 127.0.0.1:${port}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
