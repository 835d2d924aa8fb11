// A rollout through the SSH tunnel to the real-fleet test bed's unix socket: a real sshd started
// here forwards (streamlocal) to the run's test bed socket, as it would to /var/run/fleet.sock on a
// cluster machine. REALFLEET_UNIT_FILE may name the unit file to roll out.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, parseJsonDoc, runCli } from '../cli/helpers/run-cli.js';
import { SSH_USER, type Sshd, sshTestMode, startSshd } from '../tunnel/helpers/sshd.js';
import { bed, freshName } from './bed.js';

const socket = bed?.socketEndpoint.replace(/^unix:(\/\/)?/, '');
const run = Boolean(socket) && cliIsBuilt() && sshTestMode() === 'run';
const service = freshName('fstunnel');

const UNIT = `[Unit]
Description=fs tunnel test

[Service]
ExecStart=/bin/sh -c 'while true; do sleep 1; done'
`;

describe.runIf(run)('fs through the SSH tunnel to the real-fleet test bed', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    if (!socket || !existsSync(socket)) throw new Error(`the test bed socket ${socket} is missing`);
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('fs create … --tunnel reaches fleetd through streamlocal forwarding, then destroys', {
    timeout: 300_000,
  }, async () => {
    const unit = process.env.REALFLEET_UNIT_FILE;
    const file = `${sshd.dir}/${service}.service`;
    (await import('node:fs')).writeFileSync(file, unit ? readFileSync(unit, 'utf8') : UNIT);
    const env = {
      NO_COLOR: '1',
      HOME: sshd.dir,
      FLEETCTL_ENDPOINT: `unix://${socket}`,
      FLEETCTL_TUNNEL: sshd.address,
      FLEETCTL_SSH_USERNAME: SSH_USER,
      FLEETCTL_KNOWN_HOSTS_FILE: sshd.knownHosts,
      FS_SSH_IDENTITY_FILE: sshd.identityFile,
    };
    const created = await runCli(['create', service, file, '--count', '2', '--json'], {
      env,
      timeoutMs: 240_000,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(parseJsonDoc(created).result).toMatchObject({
      outcome: expect.stringMatching(/succeeded|unchanged/),
    });
    expect(sshd.log()).toMatch(new RegExp(`server_request_direct_streamlocal: .*${socket}`));
    const destroyed = await runCli(['destroy', service, '--json'], { env, timeoutMs: 120_000 });
    expect(destroyed.code, destroyed.stderr).toBe(0);
  });
});
