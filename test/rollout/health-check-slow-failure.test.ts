// A health check that fails and takes longer than the observation gap restarts the stability
// window each time, so most observations are "active for x of y ms". When the healthy timeout
// ends on one of those, the error must still say why the instance never became healthy: the last
// health check's failure (the CLI's --health-cmd puts the command's stderr there).
import { rollout, StateTimeoutError } from '@fleet-service/rollout';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST, type Harness, harness, V1 } from './sim-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a slow failing health check', () => {
  it.each([9_000, 10_000, 11_000, 12_000])(
    'the healthy timeout (%d ms) names the last health check failure, whichever observation came last',
    async (healthy) => {
      h = await harness();
      const clock = h.clock;
      const failed = await rollout(
        {
          service: 'web',
          unitFile: V1,
          count: 1,
          ...FAST,
          timeouts: { ...FAST.timeouts, healthy },
          healthChecks: [
            {
              kind: 'callback',
              check: async () => {
                await clock.sleep(1_000); // longer than one poll interval: the window restarts
                throw new Error('port 8080 refused');
              },
            },
          ],
        },
        { api: h.api, clock },
      ).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(StateTimeoutError);
      const lastSeen = (failed as StateTimeoutError).lastSeen;
      expect(lastSeen).toMatch(/health check callback failed: port 8080 refused/);
    },
  );
});
