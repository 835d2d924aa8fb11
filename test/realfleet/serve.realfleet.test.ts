// fs serve on a real fleet (the run's real-fleet test bed): one API-driven rollout — create a
// service through POST /v1/services/{name}/rollouts?wait=true, then deploy another version and
// follow it on the NDJSON event stream to its end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient } from '@fleet-service/fleet-client';
import { describeService, destroyService } from '@fleet-service/rollout';
import { createServer, loadServeConfig } from '@fleet-service/server';
import { afterAll, describe, expect, it } from 'vitest';
import { bed, freshName, skipReason } from './bed.js';

const name = freshName('fsserve');
const TOKEN = 'realfleet-token';

const unit = `[Unit]
Description=${name} %i

[Service]
ExecStart=/bin/sh -c 'echo ${name} %i me/${name}:{{version}}; exec sleep infinity'
`;

function post(base: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function ndjson(base: string, path: string): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/x-ndjson' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve(
            text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          ),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!bed)(`fs serve on a real fleet ${skipReason ?? ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-serve-realfleet-'));
  const api = createFleetClient({ endpoint: bed?.endpoint ?? 'unix:///var/run/fleet.sock' });

  afterAll(async () => {
    await destroyService(name, { api }).catch(() => {});
    api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates and then updates a service through the API, zero-downtime, with live events', {
    timeout: 600_000,
  }, async () => {
    writeFileSync(join(dir, `${name}@.service`), unit);
    writeFileSync(
      join(dir, 'services.yaml'),
      `defaults:
  minHealthy: 2s
  pollInterval: 500ms
  timeouts: { stop: 60s, gone: 60s, launched: 120s, healthy: 60s }
services:
  - name: ${name}@.service
    version: "1"
    count: 2
    image: me/${name}
    allowUpdates: true
`,
    );
    const config = await loadServeConfig({ file: join(dir, 'services.yaml') });
    const server = createServer({
      api,
      config,
      credentials: { tokens: [TOKEN], users: [] },
      listen: '127.0.0.1:0',
      lock: { settleMs: 500 },
    });
    const base = await server.listen();
    try {
      const created = await post(base, `/v1/services/${name}/rollouts?wait=true`, {});
      expect(created.status).toBe(200);
      expect(created.json.outcome).toBe('succeeded');
      const accepted = await post(base, `/v1/services/${name}/rollouts`, { version: '2' });
      expect(accepted.status).toBe(202);
      const events = await ndjson(base, `/v1/rollouts/${accepted.json.id}/events`);
      expect(events.at(-1)).toMatchObject({ type: 'end', state: 'finished', outcome: 'succeeded' });
      expect(events.filter((e) => e.type === 'step-finished').length).toBeGreaterThanOrEqual(2);
      const status = await describeService(api, name);
      const instances = status.units.filter((u) => u.role === 'instance');
      expect(instances).toHaveLength(2);
      expect(JSON.stringify(instances)).not.toContain('failed');
    } finally {
      await server.close();
    }
  });
});
