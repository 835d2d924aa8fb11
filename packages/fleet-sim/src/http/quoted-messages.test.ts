import { goQuoteString as goQuote } from '@fleet-service/fleet-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { raw } from '../test-helpers/raw-http.js';

let sim: FleetSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe("Go's %q in fleet's messages", () => {
  it('quotes like strconv.Quote', () => {
    expect(goQuote('good.service')).toBe('"good.service"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\u0007\b\f\n\r\t\u000b')).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
    expect(goQuote('\u0000\u001f\u007f')).toBe('"\\x00\\x1f\\x7f"');
    expect(goQuote('é漢 ')).toBe('"é漢 "');
    expect(goQuote('\u00a0\u0085\u200b')).toBe('"\\u00a0\\u0085\\u200b"');
  });

  it('a PUT whose body name differs from a URL name with a control character', async () => {
    sim = await startFleetSim({ clock: new ManualClock(0), machines: 1 });
    const r = await raw(sim, {
      method: 'PUT',
      path: '/fleet/v1/units/a%07%09.service',
      headers: [['Content-Type', 'application/json']],
      body: '{"name":"b.service"}',
    });
    expect(r.status).toBe(400);
    expect(r.body).toBe(
      '{"error":{"code":400,"message":"name in URL \\"a\\\\a\\\\t.service\\" differs from unit name in request body \\"b.service\\""}}',
    );
  });
});
