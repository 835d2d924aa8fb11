/**
 * fleet-api.md §12 over raw HTTP: routing (§3), the error entity (§2.7), the discovery document
 * (§4.9), the /v1-alpha alias and the Server header on every answer.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValues } from '../../helpers/raw-http.js';
import {
  BASE,
  DISCOVERY_BYTES,
  DISCOVERY_SHA1,
  errorBody,
  J,
  MACHINES_XXX_YYY,
  O,
  SERVER_HEADER,
} from '../support/reference.js';
import {
  expectFleetError,
  expectJson,
  expectNoContent,
  expectServerHeader,
  startWireSim,
  type WireSim,
} from '../support/wire-sim.js';

describe('conformance (raw HTTP): routing, errors, discovery', () => {
  let w: WireSim;
  beforeAll(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
    expect((await w.putUnit('tmpl@.service', { options: O })).status).toBe(201);
    expect((await w.putUnit('x.service', { options: O })).status).toBe(201);
  });
  afterAll(async () => {
    await w.close();
  });

  it('§12.22 GET / → 405; GET /v1-alpha → 405; GET /fleet/v1 → 405; GET /bogus → 404; all with Server: fleetd/v1.0.0', async () => {
    for (const path of ['/', '/v1-alpha', '/fleet/v1']) {
      const res = await w.send('GET', path);
      expectFleetError(res, 405, '');
      expectServerHeader(res);
    }
    const bogus = await w.send('GET', '/bogus');
    expectFleetError(bogus, 404, '');
    expectServerHeader(bogus);
  });

  it('§12.22 (§1.2) every kind of answer carries Server: fleetd/v1.0.0 (200, 201, 204, 400, 404, 405, 409, 415, PATCH 204, HEAD)', async () => {
    const answers = [
      await w.get('units'),
      await w.get('state'),
      await w.get('machines'),
      await w.get('discovery'),
      await w.putUnit('srv.service', { options: O }),
      await w.putUnit('srv.service', { desiredState: 'loaded' }),
      await w.putUnit('srv.service', {}),
      await w.deleteUnit('srv.service'),
      await w.putUnit('foo', { options: O }),
      await w.send('PUT', `${BASE}/units/srv.service`, { body: '{}' }),
      await w.getUnit('nope.service'),
      await w.send('POST', `${BASE}/units`),
      await w.send('PATCH', `${BASE}/machines`, { body: '[]' }),
      await w.send('HEAD', `${BASE}/units`),
      await w.send('GET', `${BASE}/`),
    ];
    expect(answers.map((r) => r.status)).toEqual([
      200, 200, 200, 200, 201, 204, 409, 204, 400, 415, 404, 405, 204, 405, 404,
    ]);
    for (const res of answers) expect(headerValues(res, 'server')).toEqual([SERVER_HEADER]);
  });

  it('§12.23 POST|PUT|DELETE /discovery → 400 only HTTP GET supported against this resource', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await w.send(method, `${BASE}/discovery`, { headers: [J], body: '{}' });
      expectFleetError(res, 400, 'only HTTP GET supported against this resource');
    }
    // No Content-Type check there either: PUT without one is still the route's 400, not 415.
    expectFleetError(
      await w.send('PUT', `${BASE}/discovery`, { body: '{}' }),
      400,
      'only HTTP GET supported against this resource',
    );
  });

  it('§12.23 GET /discovery → 200, application/json, body == schema/v1.json (SHA-1 and length)', async () => {
    const res = await w.get('discovery');
    const doc = expectJson(res) as { id: string; kind: string; basePath: string; rootUrl: string };
    expect(doc).toMatchObject({
      kind: 'discovery#restDescription',
      id: 'fleet:v1',
      basePath: '/fleet/v1/',
      rootUrl: '$ENDPOINT/',
    });
    // The two details most easily missed when rebuilding the file: method order and wording.
    const unitState = (
      doc as unknown as { resources: { UnitState: { methods: Record<string, { description: string }> } } }
    ).resources.UnitState.methods;
    expect(Object.keys(unitState)).toEqual(['Get', 'List']);
    expect(unitState.Get?.description).toBe('Retrieve a page of a single UnitState object.');
    expect(res.body.endsWith('}\n')).toBe(true);
    expect(Buffer.byteLength(res.body)).toBe(DISCOVERY_BYTES);
    expect(createHash('sha1').update(res.body).digest('hex')).toBe(DISCOVERY_SHA1);
  });

  it('§12.23 (§4.9) the discovery doc lists Machines.List, Units.List/Get/Delete/Set, UnitState.List/Get and no PATCH', async () => {
    const doc = JSON.parse((await w.get('discovery')).body) as {
      resources: Record<string, { methods: Record<string, { id: string; httpMethod: string }> }>;
    };
    const ids = Object.values(doc.resources).flatMap((r) => Object.values(r.methods).map((m) => m.id));
    expect(ids.sort()).toEqual(
      [
        'fleet.Machine.List',
        'fleet.Unit.Delete',
        'fleet.Unit.Get',
        'fleet.Unit.List',
        'fleet.Unit.Set',
        'fleet.UnitState.Get',
        'fleet.UnitState.List',
      ].sort(),
    );
    const methods = Object.values(doc.resources).flatMap((r) =>
      Object.values(r.methods).map((m) => m.httpMethod),
    );
    expect(methods).not.toContain('PATCH');
  });

  it('§12.24 error body format {"error":{"code":N,"message":"…"}}; a nil error gives "message":""', async () => {
    const notFound = await w.getUnit('nope.service');
    expect(notFound.body).toBe(errorBody(404, 'unit does not exist'));
    const routeMiss = await w.send('GET', `${BASE}/nope`);
    expect(routeMiss.body).toBe('{"error":{"code":404,"message":""}}');
    const quoted = await w.putUnit('tmpl@.service', { desiredState: 'launched' });
    expect(quoted.body).toBe(
      '{"error":{"code":400,"message":"cannot activate template \\"tmpl@.service\\""}}',
    );
  });

  it('§12.51 GET /units/ → 404 ""; GET /fleet/v1/ → 404; GET /machines/m1 → 404', async () => {
    expectFleetError(await w.send('GET', `${BASE}/units/`), 404, '');
    expectFleetError(await w.send('GET', `${BASE}/`), 404, '');
    expectFleetError(await w.send('GET', `${BASE}/machines/m1`), 404, '');
    // §3 table: nested item paths and other methods on them are 404 too.
    expectFleetError(await w.send('GET', `${BASE}/units/a/b.service`), 404, '');
    expectFleetError(await w.send('DELETE', `${BASE}/units/`), 404, '');
  });

  it('§12.51 GET /units/foo%2Fbar.service → 404; GET /units/tmpl%40.service → 200', async () => {
    expectFleetError(await w.send('GET', `${BASE}/units/foo%2Fbar.service`), 404, '');
    const res = await w.send('GET', `${BASE}/units/tmpl%40.service`);
    expectJson(res);
    expect(JSON.parse(res.body)).toMatchObject({ name: 'tmpl@.service' });
    // A raw '@' works the same.
    expect((await w.send('GET', `${BASE}/units/tmpl@.service`)).body).toBe(res.body);
  });

  it('§12.52 405s: POST /units, DELETE /units, POST /units/x.service, PUT /state/x, POST /machines', async () => {
    expectFleetError(
      await w.send('POST', `${BASE}/units`, { headers: [J], body: '{"name":"x.service"}' }),
      405,
      'only GET supported against this resource',
    );
    expectFleetError(
      await w.send('DELETE', `${BASE}/units`),
      405,
      'only GET supported against this resource',
    );
    expectFleetError(
      await w.send('PUT', `${BASE}/units`, { headers: [J], body: '{}' }),
      405,
      'only GET supported against this resource',
    );
    expectFleetError(
      await w.send('POST', `${BASE}/units/x.service`, { headers: [J], body: '{}' }),
      405,
      'only GET, PUT and DELETE supported against this resource',
    );
    expectFleetError(
      await w.send('PATCH', `${BASE}/units/x.service`, { headers: [J], body: '{"desiredState":"launched"}' }),
      405,
      'only GET, PUT and DELETE supported against this resource',
    );
    expectFleetError(
      await w.send('PUT', `${BASE}/state/x.service`, { headers: [J], body: '{"desiredState":"launched"}' }),
      405,
      'only GET supported against this resource',
    );
    expectFleetError(
      await w.send('DELETE', `${BASE}/state`),
      405,
      'only GET supported against this resource',
    );
    expectFleetError(
      await w.send('POST', `${BASE}/machines`, { headers: [J], body: '{}' }),
      405,
      'only GET and PATCH supported against this resource',
    );
    expectFleetError(
      await w.send('DELETE', `${BASE}/machines`),
      405,
      'only GET and PATCH supported against this resource',
    );
  });

  it('§12.52 HEAD /units → 405 with no body', async () => {
    const res = await w.send('HEAD', `${BASE}/units`);
    expect(res.status).toBe(405);
    expect(res.body).toBe('');
    expectServerHeader(res);
  });

  it('§12.53 GET /v1-alpha/units/<existing> → the same as /fleet/v1', async () => {
    const v1 = await w.getUnit('x.service');
    const alpha = await w.send('GET', '/v1-alpha/units/x.service');
    expect(alpha.status).toBe(200);
    expect(alpha.body).toBe(v1.body);
    expect(headerValues(alpha, 'content-type')).toEqual(['application/json']);
    // §3: every resource is aliased, with identical behaviour.
    expect((await w.send('GET', '/v1-alpha/machines')).body).toBe((await w.get('machines')).body);
    expectNoContent(
      await w.send('PUT', '/v1-alpha/units/alpha.service', { headers: [J], body: { options: O } }),
      201,
    );
    expectJson(await w.getUnit('alpha.service'));
    expectFleetError(await w.send('GET', '/v1-alpha/units/nope.service'), 404, 'unit does not exist');
  });
});
