// fleet API requests through the SSH tunnel (ssh2 → a real sshd → fleet-sim's unix socket) and
// through a real `ssh -D` SOCKS5 proxy (→ fleet-sim on TCP), as ratios to the same requests made
// directly in the same run: sequential (a rollout's polls) and 8 at a time (parallel steps). The
// SSH handshake (first request) is reported apart. Skipped without OpenSSH.
// Env: FS_BENCH_TUNNEL_REQUESTS (default 200).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient, type FleetClientOptions } from '@fleet-service/fleet-client';
import { startFleetSim } from '@fleet-service/fleet-sim';
import { SSH_USER, SSHD, startSocksProxy, startSshd } from '../test/tunnel/helpers/sshd.js';
import type { BenchResult } from './run.js';

const N = Number(process.env.FS_BENCH_TUNNEL_REQUESTS ?? 200);

async function timeRequests(
  options: FleetClientOptions,
): Promise<{ first: number; seq: number; par: number }> {
  const api = createFleetClient(options);
  try {
    let t = performance.now();
    await api.listMachines();
    const first = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < N; i++) await api.getUnit('web@1.service');
    const seq = (performance.now() - t) / N;
    t = performance.now();
    for (let i = 0; i < N / 8; i++)
      await Promise.all(Array.from({ length: 8 }, () => api.getUnit('web@1.service')));
    const par = (performance.now() - t) / N;
    return { first, seq, par };
  } finally {
    api.close();
  }
}

export default async function bench(): Promise<BenchResult[]> {
  if (!existsSync(SSHD)) {
    console.log('skipped: needs openssh-server and openssh-client');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-tunnel-'));
  const unixSim = await startFleetSim({ machines: 3, listen: { socketPath: join(dir, 'fleet.sock') } });
  const tcpSim = await startFleetSim({ machines: 3, listen: { host: '127.0.0.1', port: 0 } });
  const sshd = await startSshd();
  const proxy = await startSocksProxy(sshd);
  try {
    const tunnel = {
      host: sshd.address,
      username: SSH_USER,
      identityFile: sshd.identityFile,
      knownHostsFiles: [sshd.knownHosts],
    };
    const directUnix = await timeRequests({ endpoint: unixSim.endpoint });
    const viaTunnel = await timeRequests({ endpoint: unixSim.endpoint, tunnel });
    const directTcp = await timeRequests({ endpoint: tcpSim.endpoint });
    const viaSocks = await timeRequests({ endpoint: tcpSim.endpoint, socksProxy: proxy.address });
    const ms = (x: number) => Number(x.toFixed(3));
    return [
      {
        name: 'tunnel, sequential requests',
        ratio: viaTunnel.seq / directUnix.seq,
        baseline: 'ms per request ÷ direct unix socket',
        detail: { tunnelMs: ms(viaTunnel.seq), directMs: ms(directUnix.seq), requests: N },
      },
      {
        name: 'tunnel, 8 at a time',
        ratio: viaTunnel.par / directUnix.par,
        baseline: 'ms per request ÷ direct unix socket',
        detail: { tunnelMs: ms(viaTunnel.par), directMs: ms(directUnix.par) },
      },
      {
        name: 'tunnel, first request (SSH handshake)',
        ratio: viaTunnel.first / directUnix.first,
        baseline: 'ms ÷ direct first request',
        detail: { tunnelMs: ms(viaTunnel.first), directMs: ms(directUnix.first) },
      },
      {
        name: 'SOCKS5 (ssh -D), sequential requests',
        ratio: viaSocks.seq / directTcp.seq,
        baseline: 'ms per request ÷ direct TCP',
        detail: { socksMs: ms(viaSocks.seq), directMs: ms(directTcp.seq) },
      },
    ];
  } finally {
    proxy.stop();
    await sshd.stop();
    await unixSim.close();
    await tcpSim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
