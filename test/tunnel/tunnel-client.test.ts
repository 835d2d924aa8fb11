// fleet-client's `tunnel` and `socksProxy` options against a REAL OpenSSH server (and a real
// `ssh -D`) in front of fleet-sim: every request through one SSH connection, auth through
// ssh-agent, host keys refused when unknown or changed, wrong user, missing remote socket,
// unreachable tunnel host, a dropped connection re-established once.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFleetClient,
  createSshTunnel,
  type FleetClient,
  type FleetClientOptions,
  HostKeyChangedError,
  HostKeyUnknownError,
  InvalidClientOptionsError,
  SocksProxyError,
  TunnelAuthError,
  TunnelRemoteSocketError,
  TunnelUnreachableError,
} from '@fleet-service/fleet-client';
import { classifyError } from '@fleet-service/rollout';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim, type TestSim } from '../cli/helpers/sim.js';
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

describe.skipIf(mode === 'skip')('fleet-client through a real sshd', () => {
  let sshd: Sshd;
  let unixSim: TestSim;
  let tcpSim: TestSim;
  const clients: FleetClient[] = [];
  const fast = { retry: { firstContactTime: 300, maxRetryTime: 1000, initialDelay: 20, maxDelay: 50 } };

  beforeAll(async () => {
    [sshd, unixSim, tcpSim] = await Promise.all([startSshd(), startTestSim('unix'), startTestSim('tcp')]);
  });
  afterAll(async () => {
    await Promise.all([sshd?.stop(), unixSim?.close(), tcpSim?.close()]);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  function client(options: FleetClientOptions): FleetClient {
    const c = createFleetClient({ ...fast, ...options });
    clients.push(c);
    return c;
  }

  const tunnel = (extra: Record<string, unknown> = {}) => ({
    host: sshd.address,
    username: SSH_USER,
    identityFile: sshd.identityFile,
    knownHostsFiles: [sshd.knownHosts],
    ...extra,
  });

  it('sends every request through ONE SSH connection to the unix socket (streamlocal)', async () => {
    const before = sshd.logins();
    const api = client({ endpoint: unixSim.endpoint, tunnel: tunnel() });
    const machines = await api.listMachines();
    expect(machines).toHaveLength(3);
    await api.createUnit({
      name: 'tun.service',
      options: [{ section: 'Service', name: 'ExecStart', value: '/bin/true' }],
      desiredState: 'loaded',
    });
    for (let i = 0; i < 5; i++) await api.getUnit('tun.service');
    expect(await api.listUnits()).toEqual([expect.objectContaining({ name: 'tun.service' })]);
    expect(sshd.logins() - before).toBe(1);
    expect(sshd.log()).toMatch(
      new RegExp(`server_request_direct_streamlocal: .*${unixSim.dir}/fleet\\.sock`),
    );
  });

  it('reaches an http:// endpoint from the tunnel host (direct-tcpip)', async () => {
    const { port } = new URL(tcpSim.endpoint);
    const api = client({ endpoint: tcpSim.endpoint, tunnel: tunnel() });
    await expect(api.listMachines()).resolves.toHaveLength(3);
    expect(sshd.log()).toMatch(
      new RegExp(`server_request_direct_tcpip: .*target 127\\.0\\.0\\.1 port ${port}`),
    );
  });

  it('authenticates through a real ssh-agent (no identity file)', async () => {
    const agent = await startAgent(sshd.dir, sshd.identityFile);
    try {
      const api = client({
        endpoint: unixSim.endpoint,
        tunnel: tunnel({ identityFile: undefined, agent: agent.socket }),
      });
      await expect(api.listMachines()).resolves.toHaveLength(3);
    } finally {
      agent.stop();
    }
  });

  it('refuses an unknown host key with its fingerprint and the known_hosts line; fleet sees nothing', async () => {
    const empty = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const requests = unixSim.sim.cluster.requests.length;
    const api = client({
      endpoint: unixSim.endpoint,
      tunnel: tunnel({ knownHostsFiles: [empty, join(sshd.dir, 'none')] }),
    });
    const error = (await api.listMachines().catch((e: unknown) => e)) as HostKeyUnknownError;
    expect(error).toBeInstanceOf(HostKeyUnknownError);
    const fingerprint = execFileSync('ssh-keygen', ['-lf', join(sshd.dir, 'host_ed25519.pub')], {
      encoding: 'utf8',
    }).split(' ')[1];
    expect(error.fingerprint).toBe(fingerprint);
    expect(error.knownHostsLine).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`);
    expect(error.message).toContain(fingerprint);
    expect(error.message).toContain(
      `add this line to ${empty}:\n[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}`,
    );
    expect(error.code).toBe('ERR_TUNNEL_HOST_KEY_UNKNOWN');
    expect(classifyError(error)).toBe('usage');
    expect(unixSim.sim.cluster.requests.length).toBe(requests);
  });

  it('accepts the key once its line is added (hashed names too), and refuses a changed key loudly', async () => {
    const hashed = join(sshd.dir, 'hashed_known_hosts');
    writeFileSync(hashed, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    await expect(
      client({ endpoint: unixSim.endpoint, tunnel: tunnel({ knownHostsFiles: [hashed] }) }).listMachines(),
    ).resolves.toHaveLength(3);

    const other = join(sshd.dir, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const changed = join(sshd.dir, 'changed_known_hosts');
    writeFileSync(
      changed,
      `# fleet\n[127.0.0.1]:${sshd.port} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`,
    );
    const error = (await client({
      endpoint: unixSim.endpoint,
      tunnel: tunnel({ knownHostsFiles: [changed] }),
    })
      .listMachines()
      .catch((e: unknown) => e)) as HostKeyChangedError;
    expect(error).toBeInstanceOf(HostKeyChangedError);
    expect(error.message).toMatch(/^WARNING: THE SSH HOST KEY OF 127\.0\.0\.1:\d+ HAS CHANGED!/);
    expect(error.knownAt).toBe(`${changed}:2`);
    expect(error.code).toBe('ERR_TUNNEL_HOST_KEY_CHANGED');
  });

  it('a wrong user fails authentication without any key material in the message', async () => {
    const api = client({ endpoint: unixSim.endpoint, tunnel: tunnel({ username: 'nobody-here' }) });
    const error = (await api.listMachines().catch((e: unknown) => e)) as TunnelAuthError;
    expect(error).toBeInstanceOf(TunnelAuthError);
    expect(error.message).toContain('SSH authentication as "nobody-here"');
    expect(error.message).toContain(sshd.identityFile);
    const key = readFileSync(sshd.identityFile, 'utf8');
    for (const line of key.split('\n').filter((l) => l.length > 20))
      expect(JSON.stringify(error)).not.toContain(line);
    expect(classifyError(error)).toBe('usage');
  });

  it('an encrypted key needs its passphrase; neither ever appears in a message', async () => {
    const enc = join(sshd.dir, 'id_encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'sekrit-pass', '-f', enc]);
    const missing = await createSshTunnel(tunnel({ identityFile: enc }))
      .check()
      .catch((e: unknown) => e as InvalidClientOptionsError);
    expect(missing).toBeInstanceOf(InvalidClientOptionsError);
    expect(missing?.message).toBe(
      'invalid fleet client option tunnel.identityFile: the key is encrypted: give its passphrase, or load it into ssh-agent',
    );
    // the first request checks it too, before anything is sent
    const requests = unixSim.sim.cluster.requests.length;
    await expect(
      client({ endpoint: unixSim.endpoint, tunnel: tunnel({ identityFile: enc }) }).listMachines(),
    ).rejects.toThrow(InvalidClientOptionsError);
    expect(unixSim.sim.cluster.requests.length).toBe(requests);
    const wrong = await createSshTunnel(tunnel({ identityFile: enc, passphrase: 'not-it' }))
      .check()
      .catch((e: unknown) => e as Error);
    expect(wrong?.message).toMatch(/passphrase does not decrypt/);
    expect(wrong?.message).not.toContain('not-it');
    // authorized? no: the encrypted key is not in authorized_keys, so the server refuses it
    const api = client({
      endpoint: unixSim.endpoint,
      tunnel: tunnel({ identityFile: enc, passphrase: 'sekrit-pass' }),
    });
    const error = (await api.listMachines().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TunnelAuthError);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('sekrit-pass');
  });

  it('a missing remote socket is its own error (transient: fleetd may be restarting)', async () => {
    const api = client({ endpoint: `unix://${unixSim.dir}/no-such.sock`, tunnel: tunnel() });
    const error = (await api.listMachines().catch((e: unknown) => e)) as TunnelRemoteSocketError;
    expect(error).toBeInstanceOf(TunnelRemoteSocketError);
    expect(error.message).toContain(`has no socket at ${unixSim.dir}/no-such.sock`);
    expect(error.transient).toBe(true);
    expect(classifyError(error)).toBe('unreachable');
  });

  it('an unreachable tunnel host is TunnelUnreachableError (class unreachable)', async () => {
    const port = await freePort();
    const api = client({ endpoint: unixSim.endpoint, tunnel: tunnel({ host: `127.0.0.1:${port}` }) });
    const error = (await api.listMachines().catch((e: unknown) => e)) as TunnelUnreachableError;
    expect(error).toBeInstanceOf(TunnelUnreachableError);
    expect(error.message).toMatch(
      new RegExp(`cannot reach the SSH tunnel host 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(classifyError(error)).toBe('unreachable');
  });

  it('re-establishes a dropped SSH connection once, then stops', async () => {
    const ssh = createSshTunnel(tunnel());
    const api = client({ endpoint: unixSim.endpoint, connect: ssh.connect, keepAlive: false });
    try {
      await api.listMachines();
      expect(ssh.connections).toBe(1);
      sshd.dropConnections();
      await expect(api.listMachines()).resolves.toHaveLength(3);
      expect(ssh.connections).toBe(2);
      sshd.dropConnections();
      const error = (await api.listMachines().catch((e: unknown) => e)) as TunnelUnreachableError;
      expect(error).toBeInstanceOf(TunnelUnreachableError);
      expect(error.message).toMatch(
        /dropped, and the 1 reconnect\(s\) allowed per run are used up; this run stops here/,
      );
      expect(error.transient).toBe(false);
      expect(ssh.connections).toBe(2);
    } finally {
      ssh.close();
    }
  });

  it('goes through a real `ssh -D` SOCKS5 proxy; a dead proxy is SocksProxyError', async () => {
    const proxy = await startSocksProxy(sshd);
    try {
      const { port } = new URL(tcpSim.endpoint);
      // the endpoint names "localhost": socks5h lets the proxy side resolve it
      const api = client({ endpoint: `http://localhost:${port}`, socksProxy: proxy.address });
      await expect(api.listMachines()).resolves.toHaveLength(3);
      expect(sshd.log()).toMatch(new RegExp(`server_request_direct_tcpip: .*target localhost port ${port}`));
    } finally {
      proxy.stop();
    }
    const dead = await freePort();
    const api = client({ endpoint: tcpSim.endpoint, socksProxy: `127.0.0.1:${dead}` });
    const error = (await api.listMachines().catch((e: unknown) => e)) as SocksProxyError;
    expect(error).toBeInstanceOf(SocksProxyError);
    expect(error.message).toContain(`cannot connect to the SOCKS proxy 127.0.0.1:${dead} (ECONNREFUSED)`);
    expect(() => createFleetClient({ endpoint: unixSim.endpoint, socksProxy: '127.0.0.1:1' })).toThrow(
      /socksProxy: a SOCKS proxy reaches TCP addresses only/,
    );
  });
});
