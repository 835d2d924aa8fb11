/**
 * Issue 13 item 3 on real fleet v1.0.0 through the BUILT `fs` (a real subprocess): Ctrl-C in the
 * middle of a rollout stops it safely and a rerun resumes it; two concurrent runs on one service,
 * one refused by the lock (exit 9). Needs `pnpm run build` first (npm test builds).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FleetClient, serializeUnitFile } from '@fleet-service/fleet-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIsBuilt, collect, parseNdjson, runCli, spawnCli } from '../cli/helpers/run-cli.js';
import { bed, freshName, realClient, skipReason } from './bed.js';
import { allRunning, eventually, hashOf, version } from './rollout-kit.js';

const ready = Boolean(bed) && cliIsBuilt();

describe.skipIf(!ready)(
  `fs on real fleet v1.0.0 ${skipReason ?? (cliIsBuilt() ? '' : '(build first)')}`,
  () => {
    let api: FleetClient;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      api = realClient({ retries: true });
      dir = await mkdtemp(join(tmpdir(), 'fs-rf-cli-'));
      env = {
        FLEETCTL_ENDPOINT: bed?.endpoint ?? '',
        FS_POLL_INTERVAL: '250ms',
        FS_MIN_HEALTHY: '2s',
        NO_COLOR: '1',
      };
    });
    afterAll(() => {
      api?.close();
    });
    const unitFile = async (name: string, tag: string) => {
      const path = join(dir, name);
      await writeFile(path, serializeUnitFile(version(tag)));
      return path;
    };

    it.concurrent('Ctrl-C mid-rollout stops safely (exit 130); the rerun resumes and finishes v2', async () => {
      const service = freshName('int');
      const v1 = await unitFile(`${service}-v1.service`, 'v1');
      const v2 = await unitFile(`${service}-v2.service`, 'v2');
      const created = await runCli(['create', service, v1, '--count', '3', '--quiet'], {
        env,
        timeoutMs: 120_000,
      });
      expect(created.code, created.stderr).toBe(0);

      const child = spawnCli(['create', service, v2, '--output', 'ndjson'], { env });
      let interrupted = false;
      let seen = '';
      child.stdout?.on('data', (d: Buffer) => {
        seen += d.toString();
        // interrupt once the first instance has its new contents and is running
        if (!interrupted && new RegExp(`"type":"instance-healthy"[^\\n]*${service}@1\\.service`).test(seen)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      });
      const first = await collect(child, 180_000);
      expect(interrupted, first.stdout).toBe(true);
      expect(first.code, first.stderr).toBe(130);

      const rerun = await runCli(['create', service, v2, '--output', 'ndjson'], { env, timeoutMs: 180_000 });
      expect(rerun.code, rerun.stderr).toBe(0);
      const result = parseNdjson(rerun).find((e) => e.type === 'result') as
        | { result?: { replaced?: string[] } }
        | undefined;
      // @1 already runs v2: the rerun does not replace it again
      expect(result?.result?.replaced ?? [], rerun.stdout).not.toContain(`${service}@1.service`);
      await eventually('3 instances of v2', () => allRunning(api, service, hashOf(version('v2')), 3));
    });

    it.concurrent('two concurrent runs on one service: one is refused by the lock (exit 9), the other succeeds', async () => {
      const service = freshName('lck');
      const v1 = await unitFile(`${service}-v1.service`, 'v1');
      const runs = await Promise.all([
        runCli(['create', service, v1, '--count', '2', '--quiet'], { env, timeoutMs: 120_000 }),
        runCli(['create', service, v1, '--count', '2', '--quiet'], { env, timeoutMs: 120_000 }),
      ]);
      const codes = runs.map((r) => r.code).sort();
      expect(codes, runs.map((r) => r.stderr).join('\n')).toEqual([0, 9]);
      expect(runs.find((r) => r.code === 9)?.stderr).toMatch(/lock/i);
      await eventually('2 instances of v1', () => allRunning(api, service, hashOf(version('v1')), 2));
    });
  },
);
