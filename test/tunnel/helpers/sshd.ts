// A real OpenSSH server (Debian openssh-server) for the tunnel tests: `sshd -D -e -f <generated
// config>` on a free loopback port, with a generated host key and one authorized key, logging at
// DEBUG1 to stderr so a test can see every forwarding request (direct-tcpip, streamlocal) and
// every login. Also a real ssh-agent and a real `ssh -D` SOCKS proxy.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
const TOOLS = [SSHD, '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/ssh-agent', '/usr/bin/ssh-add'];
export const INSTALL_HINT =
  'needs OpenSSH: apt-get install -y --no-install-recommends openssh-server openssh-client';

/**
 * Whether the SSH tests run: yes when the tools are there; when they are not, they fail under
 * CI=true or FS_REQUIRE_SSH=1 (.ci/run sets it), and skip elsewhere with the install hint.
 */
export function sshTestMode(): 'run' | 'skip' {
  if (TOOLS.every((t) => existsSync(t))) return 'run';
  if (process.env.CI === 'true' || process.env.FS_REQUIRE_SSH === '1')
    throw new Error(
      `tunnel tests: ${INSTALL_HINT} (missing: ${TOOLS.filter((t) => !existsSync(t)).join(', ')})`,
    );
  console.warn(`skipping tunnel tests: ${INSTALL_HINT}`);
  return 'skip';
}

/** The user the tests log in as (sshd run by root lets root in with a key; run by a user, that user). */
export const SSH_USER = userInfo().username;

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function keygen(path: string, passphrase = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'fs-test', '-f', path]);
}

/** Waits for a line matching `pattern` in a child's stderr (the server says it is ready). */
function waitForLine(child: ChildProcess, read: () => string, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(read())) {
        child.stderr?.off('data', check);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (${code}) before it was ready:\n${read()}`));
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** Pids of a process's descendants, from /proc (sshd's per-connection children call setsid). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface Sshd {
  dir: string;
  port: number;
  /** `127.0.0.1:PORT`, for --tunnel. */
  address: string;
  /** The authorized client key (unencrypted). */
  identityFile: string;
  /** The host key's public half (`ssh-ed25519 AAAA…`). */
  hostPublicKey: string;
  /** A known_hosts file that trusts this server. */
  knownHosts: string;
  /** sshd's log so far (stderr, DEBUG1). */
  log(): string;
  /** Logins accepted so far. */
  logins(): number;
  /** Kills the per-connection children only: the SSH connections drop, the server still listens. */
  dropConnections(): void;
  /** Kills the server and every connection (SIGKILL). */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same keys. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts sshd on a free loopback port with fresh keys in a temp dir. */
export async function startSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-sshd-'));
  const hostKey = join(dir, 'host_ed25519');
  const identityFile = join(dir, 'id_ed25519');
  keygen(hostKey);
  keygen(identityFile);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`));
  const port = await freePort();
  // sshd run as root needs its privilege separation directory (the Debian service creates it)
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'AllowStreamLocalForwarding yes',
      'PermitTTY no',
      'LogLevel DEBUG1',
      '',
    ].join('\n'),
  );
  const hostPublicKey = readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);

  let log = '';
  let child: ChildProcess | undefined;
  const start = async () => {
    const c = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.setEncoding('utf8').on('data', (d: string) => {
      log += d;
    });
    child = c;
    await waitForLine(c, () => log, new RegExp(`Server listening on 127\\.0\\.0\\.1 port ${port}`), 'sshd');
  };
  const kill = async () => {
    const c = child;
    if (!c?.pid || c.exitCode !== null || c.signalCode !== null) return;
    const pids = [c.pid, ...descendants(c.pid)];
    const exited = new Promise((resolve) => c.once('exit', resolve));
    killPids(pids);
    await exited;
  };
  await start();
  return {
    dir,
    port,
    address: `127.0.0.1:${port}`,
    identityFile,
    hostPublicKey,
    knownHosts,
    log: () => log,
    logins: () => (log.match(/Accepted publickey for /g) ?? []).length,
    dropConnections() {
      if (child?.pid) killPids(descendants(child.pid));
    },
    kill,
    async restart() {
      log += '--- restart ---\n';
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real ssh-agent on a socket in `dir`, holding `identityFile`. */
export async function startAgent(
  dir: string,
  identityFile: string,
): Promise<{ socket: string; stop(): void }> {
  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  agent.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  await waitForLine(
    Object.assign(agent, { stderr: agent.stdout }) as ChildProcess,
    () => out,
    /SSH_AUTH_SOCK/,
    'ssh-agent',
  );
  execFileSync('ssh-add', ['-q', identityFile], {
    env: { ...process.env, SSH_AUTH_SOCK: socket },
    stdio: 'pipe',
  });
  return {
    socket,
    stop() {
      agent.kill('SIGKILL');
    },
  };
}

/** A real `ssh -N -D` SOCKS5 proxy on a free loopback port, through the given sshd. */
export async function startSocksProxy(sshd: Sshd): Promise<{ address: string; stop(): void }> {
  const port = await freePort();
  const ssh = spawn(
    'ssh',
    [
      '-F',
      '/dev/null',
      '-v',
      '-N',
      '-o',
      'BatchMode=yes',
      '-o',
      'ExitOnForwardFailure=yes',
      '-o',
      `UserKnownHostsFile=${sshd.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-i',
      sshd.identityFile,
      '-p',
      String(sshd.port),
      '-D',
      `127.0.0.1:${port}`,
      `${SSH_USER}@127.0.0.1`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  ssh.stderr?.setEncoding('utf8').on('data', (d: string) => {
    log += d;
  });
  await waitForLine(ssh, () => log, /Entering interactive session|pledge: network/, 'ssh -D');
  return {
    address: `127.0.0.1:${port}`,
    stop() {
      ssh.kill('SIGKILL');
    },
  };
}
