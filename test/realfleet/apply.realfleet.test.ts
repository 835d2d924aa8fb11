// fs apply on a real fleet (the run's real-fleet test bed, started once by global-setup.ts):
// create three services, change one version (only that one rolls), re-apply unchanged (no
// mutating request). Skipped like every real-fleet test when the test bed is not built (never in CI).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply } from '@fleet-service/apply';
import { createFleetClient, type RequestInfo } from '@fleet-service/fleet-client';
import { destroyService } from '@fleet-service/rollout';
import { afterAll, describe, expect, it } from 'vitest';
import { bed, freshName, skipReason } from './bed.js';

// fresh names: the run shares one cluster, and a just-deleted name races with the agent's unload
const prefix = freshName('fsapply');
const NAMES = [`${prefix}a`, `${prefix}b`, `${prefix}c`];

const unit = (name: string) => `[Unit]
Description=${name} %i

[Service]
Environment="DOCKER_APP_VERSION=latest"
ExecStart=/bin/sh -c 'echo ${name} %i $DOCKER_APP_VERSION; exec sleep infinity'
`;

const yaml = (versions: Record<string, string>) => `defaults:
  minHealthy: 2s
  pollInterval: 500ms
  timeouts: { stop: 60s, gone: 60s, launched: 120s, healthy: 60s }
services:
${NAMES.map((n) => `  - name: ${n}@.service\n    version: "${versions[n] ?? '1'}"\n    count: 2\n    sequentialDeployment: true\n`).join('')}`;

describe.skipIf(!bed)(`fs apply on a real fleet ${skipReason ?? ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-apply-realfleet-'));
  const requests: RequestInfo[] = [];
  const api = createFleetClient({
    endpoint: bed?.endpoint ?? 'unix:///var/run/fleet.sock',
    onRequest: (r) => requests.push(r),
  });
  for (const n of NAMES) writeFileSync(join(dir, `${n}@.service`), unit(n));
  const file = join(dir, 'services.yaml');
  const lock = { settleMs: 500 };

  afterAll(async () => {
    for (const n of NAMES) await destroyService(n, { api }).catch(() => {});
    api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates three services, rolls only the changed one, and re-applies unchanged without a write', {
    timeout: 600_000,
  }, async () => {
    writeFileSync(file, yaml({}));
    const created = await apply({ file }, { api, lock });
    // the cluster is shared with the run's other real-fleet tests: their services are left alone
    const ours = (r: typeof created) => r.services.filter((s) => NAMES.includes(s.service));
    expect(ours(created).map((s) => [s.service, s.outcome])).toEqual(NAMES.map((n) => [n, 'succeeded']));
    expect(
      created.services.filter((s) => !NAMES.includes(s.service)).every((s) => s.outcome === 'left-alone'),
    ).toBe(true);

    writeFileSync(file, yaml({ [NAMES[1]!]: '2' }));
    const from = requests.length;
    const changed = await apply({ file }, { api, lock });
    expect(ours(changed).map((s) => [s.service, s.outcome])).toEqual([
      [NAMES[0], 'unchanged'],
      [NAMES[1], 'succeeded'],
      [NAMES[2], 'unchanged'],
    ]);
    const writes = requests.slice(from).filter((r) => r.method !== 'GET');
    expect(writes.every((r) => decodeURIComponent(r.path).includes(NAMES[1]!))).toBe(true);

    const again = requests.length;
    const unchanged = await apply({ file }, { api, lock });
    expect(ours(unchanged).every((s) => s.outcome === 'unchanged')).toBe(true);
    expect(requests.slice(again).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
