// fs apply on a real fleet (the real-fleet test bed of issue 13): create three services, change one
// version (only that one rolls), re-apply unchanged (no mutating request). Skipped unless
// REALFLEET_ENDPOINT names the test bed's fleet API (e.g. http://127.0.0.1:49153 or
// unix:///run/fleet.sock); fails instead of skipping when CI=true and REALFLEET_REQUIRED=1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply } from '@fleet-service/apply';
import { createFleetClient, type RequestInfo } from '@fleet-service/fleet-client';
import { destroyService } from '@fleet-service/rollout';
import { afterAll, describe, expect, it } from 'vitest';

const ENDPOINT = process.env.REALFLEET_ENDPOINT;
const REQUIRED = process.env.CI === 'true' && process.env.REALFLEET_REQUIRED === '1';
const NAMES = ['fsapply-a', 'fsapply-b', 'fsapply-c'];

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

describe.runIf(ENDPOINT !== undefined || REQUIRED)('fs apply on a real fleet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-apply-realfleet-'));
  const requests: RequestInfo[] = [];
  const api = createFleetClient({
    endpoint: ENDPOINT ?? 'unix:///var/run/fleet.sock',
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
    expect(ENDPOINT, 'REALFLEET_ENDPOINT is required under CI with REALFLEET_REQUIRED=1').toBeDefined();
    writeFileSync(file, yaml({}));
    const created = await apply({ file }, { api, lock });
    expect(created.services.map((s) => [s.service, s.outcome])).toEqual(NAMES.map((n) => [n, 'succeeded']));

    writeFileSync(file, yaml({ 'fsapply-b': '2' }));
    const from = requests.length;
    const changed = await apply({ file }, { api, lock });
    expect(changed.services.map((s) => [s.service, s.outcome])).toEqual([
      ['fsapply-a', 'unchanged'],
      ['fsapply-b', 'succeeded'],
      ['fsapply-c', 'unchanged'],
    ]);
    const writes = requests.slice(from).filter((r) => r.method !== 'GET');
    expect(writes.every((r) => decodeURIComponent(r.path).includes('fsapply-b'))).toBe(true);

    const again = requests.length;
    const unchanged = await apply({ file }, { api, lock });
    expect(unchanged.services.every((s) => s.outcome === 'unchanged')).toBe(true);
    expect(requests.slice(again).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
