/**
 * One retry layer (issue 11, seam 5): the client retries what is safe within its time budget; a PUT
 * with options whose answer was lost is not retried blindly. The engine reads the unit back instead:
 * written → go on; not written → send it once more. These runs lose the answer to (or reset) the
 * first PUT of every unit the rollout writes: an instance, the record and the lock.
 */

import { createFleetClient, type RequestInfo } from '@fleet-service/fleet-client';
import { recordUnitName, rollout } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, H2, type Harness, harness, runningWith, V2 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('writes whose answer was lost', () => {
  it.each(['api-drop-response', 'api-reset'] as const)(
    '%s on the first PUT of each unit: the rollout confirms and completes',
    async (kind) => {
      h = await harness({
        faults: [
          { kind, route: 'PUT /units/web@1.service', count: 1 },
          { kind, route: `PUT /units/${recordUnitName('web')}`, count: 1 },
          { kind, route: 'PUT /units/web.fs-lock.service', count: 1 },
        ],
      });
      // a fresh connection per request: a reset on a reused keep-alive socket is one the client
      // itself knows was not delivered and retries; here it cannot know
      const requests: RequestInfo[] = [];
      const api = createFleetClient({
        endpoint: h.sim.endpoint,
        clock: h.clock,
        keepAlive: false,
        onRequest: (info) => requests.push(info),
      });
      const result = await rollout(
        { service: 'web', unitFile: V2, count: 2, ...FAST },
        { api, onEvent: h.onEvent },
      );
      expect(result.outcome).toBe('succeeded');
      expect(runningWith(h.sim, 'web', H2)).toEqual(['web@1.service', 'web@2.service']);
      // a reset PUT was not applied: confirmed missing, sent once more; a dropped answer was applied: confirmed, not resent
      const puts = requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/units/web@1.service'));
      expect(puts).toHaveLength(kind === 'api-reset' ? 2 : 1);
      api.close();
    },
  );
});
