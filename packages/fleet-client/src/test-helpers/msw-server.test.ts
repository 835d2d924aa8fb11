// Regression: the msw-backed client tests printed MaxListenersExceededWarning (issue 11).
import { http } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetClient } from '../http-fleet-api.js';
import { API, fleetJson, MSW_ENDPOINT } from './fleet-responses.js';
import { useMswServer } from './msw-server.js';

const server = useMswServer();
const warnings: string[] = [];
const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
beforeAll(() => {
  process.on('warning', onWarning);
});
afterAll(() => {
  process.off('warning', onWarning);
});

describe('useMswServer', () => {
  // more requests than an AbortSignal's default 10 listeners, spread over tests as a test file does
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('request %i', async () => {
    server.use(http.get(`${API}/machines`, () => fleetJson({})));
    const client = createFleetClient({ endpoint: MSW_ENDPOINT });
    await expect(client.listMachines()).resolves.toEqual([]);
  });

  it('left no abort listener behind: no MaxListenersExceededWarning', async () => {
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    expect(warnings.filter((w) => w.includes('MaxListenersExceededWarning'))).toEqual([]);
  });
});
