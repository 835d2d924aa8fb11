// The built `fs` through a REAL OpenSSH server in front of fleet-sim (--tunnel, fleetctl's flags
// and variables), and through a real `ssh -D` SOCKS5 proxy (--socks-proxy): full rollouts with
// HTTP health checks that reach the machines' IPs only through the tunnel, ssh-agent, refused
// host keys, wrong user, an unreachable tunnel host, and sshd killed mid-rollout (the run stops
// safely, capacity is kept, the rerun resumes).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseUnitFile, unitHash } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliIsBuilt,
  collect,
  fastEnv,
  parseJsonDoc,
  repoRoot,
  runCli,
  spawnCli,
} from '../cli/helpers/run-cli.js';
import { startTestSim, type TestSim, webUnit } from '../cli/helpers/sim.js';
import {
  freePort,
  SSH_USER,
  type Sshd,
  sshTestMode,
  startAgent,
  startSocksProxy,
  startSshd,
} from './helpers/sshd.js';

const mode = sshTestMode();
/** The single binary, when built (`build:binary`, or the release `.ci/run` makes). */
const binary = [join(repoRoot, 'packages', 'cli', 'dist-bin', 'fs'), ...releaseBinaries()].find((f) =>
  existsSync(f),
);

function releaseBinaries(): string[] {
  const dir = join(repoRoot, 'release');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^fs-.*-linux-x64$/.test(f))
        .map((f) => join(dir, f))
    : [];
}
const MACHINE_IPS = ['127.0.8.101', '127.0.8.102', '127.0.8.103']; // fleet-sim's defaults

/** An HTTP health endpoint on every simulated machine's IP, same port; counts the checks. */
async function startHealthServers(): Promise<{ port: number; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const handler: http.RequestListener = (_req, res) => {
    hits++;
    res.end('ok');
  };
  const first = http.createServer(handler);
  await new Promise<void>((r) => first.listen(0, MACHINE_IPS[0], r));
  const { port } = first.address() as AddressInfo;
  const servers = [first];
  for (const ip of MACHINE_IPS.slice(1)) {
    const s = http.createServer(handler);
    await new Promise<void>((r) => s.listen(port, ip, r));
    servers.push(s);
  }
  return {
    port,
    hits: () => hits,
    close: () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))).then(() => undefined),
  };
}

describe.runIf(cliIsBuilt() && mode === 'run')('fs through a real sshd (--tunnel)', () => {
  let sshd: Sshd;
  let t: TestSim;
  let health: Awaited<ReturnType<typeof startHealthServers>>;
  /** HOME without known_hosts, so only the files a test names count. */
  let home: string;

  beforeAll(async () => {
    [sshd, t, health] = await Promise.all([startSshd(), startTestSim('unix'), startHealthServers()]);
    home = join(sshd.dir, 'home');
    execFileSync('mkdir', ['-p', home]);
  });
  afterAll(async () => {
    await Promise.all([sshd?.stop(), t?.close(), health?.close()]);
  });

  const env = (extra: Record<string, string> = {}) =>
    fastEnv({ HOME: home, FLEETCTL_ENDPOINT: t.endpoint, FLEETCTL_SSH_USERNAME: SSH_USER, ...extra });
  const sshFlags = () => ['--ssh-identity-file', sshd.identityFile, '--known-hosts-file', sshd.knownHosts];
  const webInstances = () => t.sim.cluster.units().filter((u) => /^web@\d+\.service$/.test(u.name));

  it('fs --tunnel HOST:PORT create: a full rollout with health checks, all through ONE SSH connection', async () => {
    const file = t.unitFile('web-v1.service', webUnit('v1'));
    const logins = sshd.logins();
    const run = await runCli(
      [
        '--tunnel',
        sshd.address, // before the command, as fleetctl users type it
        'create',
        'web',
        file,
        '--count',
        '3',
        '--health-url',
        `http://{ip}:${health.port}/health`,
        ...sshFlags(),
        '--json',
      ],
      { env: env() },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonDoc(run).result).toMatchObject({ outcome: 'succeeded' });
    const hash = unitHash(parseUnitFile(webUnit('v1')));
    expect(webInstances().map((u) => [u.desiredState, u.hash])).toEqual(Array(3).fill(['launched', hash]));
    expect(sshd.logins() - logins).toBe(1);
    expect(health.hits()).toBeGreaterThanOrEqual(3);
    // the health checks went through the tunnel: sshd opened them (direct-tcpip)
    for (const ip of MACHINE_IPS)
      expect(sshd.log()).toMatch(
        new RegExp(`server_request_direct_tcpip: .*target ${ip} port ${health.port}`),
      );
    expect(sshd.log()).toMatch(/server_request_direct_streamlocal: /);
  });

  it('fs apply --tunnel: the whole desired state and its health checks through the one SSH connection', async () => {
    writeFileSync(
      join(t.dir, 'api@.service'),
      '[Unit]\nDescription=api %i\n\n[Service]\nEnvironment=DOCKER_APP_VERSION=latest\nExecStart=/usr/bin/api\n',
    );
    const file = join(t.dir, 'services.yaml');
    writeFileSync(
      file,
      `defaults:\n  minHealthy: 60ms\n  pollInterval: 20ms\n  healthChecks:\n    - http: http://{ip}:${health.port}/health\nservices:\n  - name: api@.service\n    version: "7"\n    count: 2\n`,
    );
    const tcpip = () => (sshd.log().match(/server_request_direct_tcpip: .*port \d+/g) ?? []).length;
    const [logins, hits, dialled] = [sshd.logins(), health.hits(), tcpip()];
    const run = await runCli(['apply', file, '--tunnel', sshd.address, ...sshFlags(), '--json'], {
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    const apis = t.sim.cluster.units().filter((u) => /^api@\d+\.service$/.test(u.name));
    expect(apis.map((u) => u.desiredState)).toEqual(['launched', 'launched']);
    expect(sshd.logins() - logins).toBe(1);
    expect(health.hits() - hits).toBeGreaterThanOrEqual(2);
    // the health checks went through the tunnel too (sshd opened direct-tcpip channels for them)
    expect(tcpip() - dialled).toBeGreaterThanOrEqual(2);
  });

  it('FLEETCTL_TUNNEL with ssh-agent (SSH_AUTH_SOCK), no identity file', async () => {
    const agent = await startAgent(sshd.dir, sshd.identityFile);
    try {
      const run = await runCli(['status', 'web', '--json'], {
        env: env({
          FLEETCTL_TUNNEL: sshd.address,
          FLEETCTL_KNOWN_HOSTS_FILE: sshd.knownHosts,
          SSH_AUTH_SOCK: agent.socket,
        }),
      });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.stringify(parseJsonDoc(run).result)).toContain('web@3.service');
    } finally {
      agent.stop();
    }
  });

  it('an unknown host key: exit 2, the fingerprint and the known_hosts line; nothing changed', async () => {
    const empty = join(sshd.dir, 'fleetctl_known_hosts');
    writeFileSync(empty, '');
    const before = t.sim.cluster.requests.length;
    const file = t.unitFile('web-v2.service', webUnit('v2'));
    const args = ['create', 'web', file, '--tunnel', sshd.address, '--ssh-identity-file', sshd.identityFile];
    const run = await runCli([...args, '--known-hosts-file', empty], { env: env() });
    expect(run.code).toBe(2);
    const fingerprint = execFileSync('ssh-keygen', ['-lf', join(sshd.dir, 'host_ed25519.pub')], {
      encoding: 'utf8',
    }).split(' ')[1];
    expect(run.stderr).toContain(`fingerprint ${fingerprint}`);
    expect(run.stderr).toContain(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`);
    expect(run.stderr).toContain(`add this line to ${empty}`);
    expect(t.sim.cluster.requests.length).toBe(before);

    const json = await runCli([...args, '--known-hosts-file', empty, '--json'], { env: env() });
    expect(parseJsonDoc(json)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'ERR_TUNNEL_HOST_KEY_UNKNOWN' },
    });
  });

  it('a changed host key is refused loudly (exit 2)', async () => {
    const other = join(sshd.dir, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const known = join(sshd.dir, 'changed_known_hosts');
    writeFileSync(
      known,
      `[127.0.0.1]:${sshd.port} ${execFileSync('cat', [`${other}.pub`], { encoding: 'utf8' })
        .split(' ')
        .slice(0, 2)
        .join(' ')}\n`,
    );
    const run = await runCli(
      [
        'machines',
        '--tunnel',
        sshd.address,
        '--ssh-identity-file',
        sshd.identityFile,
        '--known-hosts-file',
        known,
      ],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/WARNING: THE SSH HOST KEY OF 127\.0\.0\.1:\d+ HAS CHANGED!/);
    expect(run.stderr).toContain(`${known}:1`);
  });

  it('a wrong user: exit 2 (ERR_TUNNEL_AUTH), no key material in the output', async () => {
    const run = await runCli(
      ['machines', '--tunnel', sshd.address, ...sshFlags(), '--ssh-username', 'nobody-here', '--json'],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(2);
    const doc = parseJsonDoc(run) as unknown as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('ERR_TUNNEL_AUTH');
    expect(doc.error.message).toContain('SSH authentication as "nobody-here"');
    expect(run.stdout + run.stderr).not.toMatch(/PRIVATE KEY|AAAAC3NzaC1lZDI1NTE5/);
  });

  it.runIf(binary)('the single binary goes through the tunnel too, without a warning', async () => {
    const run = await runCli(['machines', '--tunnel', sshd.address, ...sshFlags(), '--json'], {
      env: env(),
      executable: binary as string,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.stringify(parseJsonDoc(run).result)).toContain('127.0.8.101');
  });

  it('an unreachable tunnel host: exit 3', async () => {
    const port = await freePort();
    const run = await runCli(['machines', '--tunnel', `127.0.0.1:${port}`, ...sshFlags()], { env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot reach the SSH tunnel host 127.0.0.1:${port}`);
  });

  it('sshd killed mid-rollout: the run stops safely, capacity is kept, the rerun resumes', {
    timeout: 90_000,
  }, async () => {
    const file = t.unitFile('web-v3.service', webUnit('v3'));
    const args = ['create', 'web', file, '--tunnel', sshd.address, ...sshFlags(), '--output', 'ndjson'];
    const child = spawnCli(args, { env: env() });
    let killed = false;
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      // the first new instance is healthy: the rollout is under way
      if (!killed && /"type":"instance-healthy"/.test(out)) {
        killed = true;
        void sshd.kill();
      }
    });
    const run = await collect(child, 60_000);
    expect(killed).toBe(true);
    expect(run.code, run.stderr).toBe(3); // unreachable: one reconnect attempt, refused, then a prompt stop
    expect(out).toContain('"code":"ERR_TUNNEL_UNREACHABLE"');
    expect(out).toContain('could not be re-established');
    // capacity kept: at most one instance (max-unavailable 1) is not launched
    const launched = webInstances().filter((u) => u.desiredState === 'launched');
    expect(launched.length).toBeGreaterThanOrEqual(2);

    await sshd.restart();
    const rerun = await runCli(['create', 'web', file, '--tunnel', sshd.address, ...sshFlags(), '--json'], {
      env: env(),
    });
    expect(rerun.code, rerun.stderr).toBe(0);
    const hash = unitHash(parseUnitFile(webUnit('v3')));
    expect(webInstances().map((u) => [u.desiredState, u.hash])).toEqual(Array(3).fill(['launched', hash]));
  });
});

describe.runIf(cliIsBuilt() && mode === 'run')(
  'fs through a real sshd whose connection drops mid-rollout',
  () => {
    let sshd: Sshd;
    let t: TestSim;

    beforeAll(async () => {
      [sshd, t] = await Promise.all([startSshd(), startTestSim('unix')]);
    });
    afterAll(async () => {
      await Promise.all([sshd?.stop(), t?.close()]);
    });

    it('the SSH connection is re-established once and the rollout completes', async () => {
      const env = fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, FLEETCTL_SSH_USERNAME: SSH_USER, HOME: sshd.dir });
      const args = (v: string) => [
        'create',
        'web',
        t.unitFile(`web-${v}.service`, webUnit(v)),
        '--count',
        '3',
        '--tunnel',
        sshd.address,
        '--ssh-identity-file',
        sshd.identityFile,
        '--known-hosts-file',
        sshd.knownHosts,
        '--output',
        'ndjson',
      ];
      expect((await runCli(args('v1'), { env })).code).toBe(0);
      const logins = sshd.logins();
      const child = spawnCli(args('v2'), { env });
      let dropped = false;
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (!dropped && /"type":"instance-healthy"/.test(out)) {
          dropped = true;
          sshd.dropConnections(); // the server still listens: only this connection dies
        }
      });
      const run = await collect(child, 30_000);
      expect(dropped).toBe(true);
      expect(run.code, out.slice(-2000)).toBe(0);
      expect(sshd.logins() - logins).toBe(2);
      const hash = unitHash(parseUnitFile(webUnit('v2')));
      const web = t.sim.cluster.units().filter((u) => /^web@\d+\.service$/.test(u.name));
      expect(web.map((u) => [u.desiredState, u.hash])).toEqual(Array(3).fill(['launched', hash]));
    });
  },
);

describe.runIf(cliIsBuilt() && mode === 'run')(
  'fs through a real `ssh -D` SOCKS5 proxy (--socks-proxy)',
  () => {
    let sshd: Sshd;
    let t: TestSim;
    let health: Awaited<ReturnType<typeof startHealthServers>>;
    let proxy: Awaited<ReturnType<typeof startSocksProxy>>;

    beforeAll(async () => {
      [sshd, t, health] = await Promise.all([startSshd(), startTestSim('tcp'), startHealthServers()]);
      proxy = await startSocksProxy(sshd);
    });
    afterAll(async () => {
      proxy?.stop();
      await Promise.all([sshd?.stop(), t?.close(), health?.close()]);
    });

    it('a rollout and its health checks, every connection through the proxy', async () => {
      const file = t.unitFile('api.service', webUnit('v1'));
      const run = await runCli(
        [
          'create',
          'api',
          file,
          '--count',
          '2',
          '--health-url',
          `http://{ip}:${health.port}/health`,
          '--json',
        ],
        { env: fastEnv({ FLEETCTL_ENDPOINT: t.endpoint, FS_SOCKS_PROXY: proxy.address }) },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(parseJsonDoc(run).result).toMatchObject({ outcome: 'succeeded' });
      const { port } = new URL(t.endpoint);
      expect(sshd.log()).toMatch(
        new RegExp(`server_request_direct_tcpip: .*target 127\\.0\\.0\\.1 port ${port}`),
      );
      expect(sshd.log()).toMatch(
        new RegExp(`server_request_direct_tcpip: .*target 127\\.0\\.8\\.10\\d port ${health.port}`),
      );
      expect(health.hits()).toBeGreaterThanOrEqual(2);
    });

    it('--socks-proxy with a unix endpoint is bad input (exit 2)', async () => {
      const run = await runCli(
        ['machines', '--endpoint', 'unix:///var/run/fleet.sock', '--socks-proxy', proxy.address],
        {
          env: fastEnv(),
        },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--socks-proxy: a SOCKS proxy reaches TCP addresses only');
    });
  },
);
