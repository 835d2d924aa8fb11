import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock.js';
import { type FleetSim, startFleetSim } from '../sim.js';
import { raw } from '../test-helpers/raw-http.js';
import { cleanPath } from './server.js';

let sim: FleetSim;
beforeEach(async () => {
  sim = await startFleetSim({ clock: new ManualClock(0), machines: 2 });
});
afterEach(async () => {
  await sim.close();
});

describe('router edges', () => {
  it("cleans paths like Go's ServeMux", () => {
    expect(cleanPath('/fleet//v1/units')).toBe('/fleet/v1/units');
    expect(cleanPath('/fleet/v1/./units/')).toBe('/fleet/v1/units/');
    expect(cleanPath('/fleet/v1/units/a/../b')).toBe('/fleet/v1/units/b');
    expect(cleanPath('/a/.')).toBe('/a');
    expect(cleanPath('/..')).toBe('/');
    expect(cleanPath('/fleet/v1/units')).toBe('/fleet/v1/units');
  });

  it('redirects non-canonical paths with 301 (GET with a note, other methods without a body)', async () => {
    const got = await raw(sim, { path: '/fleet/v1/./units?x=1' });
    expect([got.status, got.headers.location, got.headers.server]).toEqual([
      301,
      '/fleet/v1/units?x=1',
      'fleetd/v1.0.0',
    ]);
    expect(got.body).toBe('<a href="/fleet/v1/units?x=1">Moved Permanently</a>.\n\n');
    const put = await raw(sim, { method: 'PUT', path: '/fleet//v1/units/a.service' });
    expect([put.status, put.body]).toEqual([301, '']);
  });

  it('serves /metrics as Prometheus text and answers 400 to an undecodable path', async () => {
    const metrics = await raw(sim, { path: '/metrics' });
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4');
    expect(metrics.body).toContain('fleet_sim_machines 2');
    const bad = await raw(sim, { path: '/fleet/v1/units/a%zz.service' });
    expect([bad.status, bad.body]).toEqual([400, '400 Bad Request']);
  });

  it('answers HEAD on /discovery with 400 and no body, OPTIONS on items with 405', async () => {
    const head = await raw(sim, { method: 'HEAD', path: '/fleet/v1/discovery' });
    expect([head.status, head.body]).toEqual([400, '']);
    const options = await raw(sim, { method: 'OPTIONS', path: '/fleet/v1/units/a.service' });
    expect(JSON.parse(options.body)).toEqual({
      error: { code: 405, message: 'only GET, PUT and DELETE supported against this resource' },
    });
  });
});

describe('methods Node does not know', () => {
  it('are routed like fleet routes them (405/404 with the error body), not refused with a bare 400', async () => {
    const { connect } = await import('node:net');
    const sim = await startFleetSim({ clock: new ManualClock(0), machines: 1 });
    try {
      const url = new URL(sim.endpoint);
      const ask = (request: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
          let data = '';
          socket.on('data', (c: Buffer) => {
            data += c.toString('latin1');
          });
          socket.on('close', () => resolve(data));
          socket.on('error', () => resolve(data));
        });
      const foo = await ask('FOO /fleet/v1/units HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(foo).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
      expect(foo).toContain('\r\nServer: fleetd/v1.0.0\r\n');
      expect(foo).toContain('\r\nContent-Type: application/json\r\n');
      expect(
        foo.endsWith('\r\n\r\n{"error":{"code":405,"message":"only GET supported against this resource"}}'),
      ).toBe(true);
      const item = await ask('FOO /fleet/v1/units/a.service HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(item).toContain(
        '{"error":{"code":405,"message":"only GET, PUT and DELETE supported against this resource"}}',
      );
      const bogus = await ask('FOO /bogus HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(bogus).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(bogus.endsWith('{"error":{"code":404,"message":""}}')).toBe(true);
      expect(sim.cluster.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'FOO /fleet/v1/units 405',
        'FOO /fleet/v1/units/a.service 405',
        'FOO /bogus 404',
      ]);
      const garbage = await ask('this is not http\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    } finally {
      await sim.close();
    }
  });
});
