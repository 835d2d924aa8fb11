/**
 * fleet-api.md §12 over raw HTTP: unit-name validation (§7.1) and option validation on create
 * (§7.2), as PUT /units/{name} answers them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_NAMES, BASE, GOOD_NAMES, J, MACHINES_XXX_YYY, O } from '../support/reference.js';
import { expectFleetError, expectNoContent, startWireSim, type WireSim } from '../support/wire-sim.js';

const xfleet = (...pairs: [string, string][]) =>
  pairs.map(([name, value]) => ({ section: 'X-Fleet', name, value }));

describe('conformance (raw HTTP): unit names and options', () => {
  let w: WireSim;
  beforeAll(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterAll(async () => {
    await w.close();
  });

  it.each(GOOD_NAMES)('§12.28 good name %s → 201', async (name) => {
    expectNoContent(await w.putUnit(name, { options: O }), 201);
    expect((await w.getUnit(name)).status).toBe(200);
  });

  it('§12.28 a name of exactly 256 bytes is allowed → 201', async () => {
    const name = `${'a'.repeat(248)}.service`;
    expect(Buffer.byteLength(name)).toBe(256);
    expectNoContent(await w.putUnit(name, { options: O }), 201);
  });

  it.each(BAD_NAMES)('§12.28 bad name %s → 400 %s', async (name, message) => {
    expectFleetError(await w.putUnit(name, { options: O }), 400, message);
    expect((await w.getUnit(name)).status).toBe(404);
  });

  it('§12.28 the 256 limit counts bytes: 125 × "é" + ".service" (133 chars, 258 bytes) → 400 too long', async () => {
    const name = `${'é'.repeat(125)}.service`;
    expectFleetError(await w.putUnit(name, { options: O }), 400, 'unit name exceeds maximum length (256)');
  });

  it('§12.28 yes/no.service can never be addressed: %2F decodes to a path separator → 404', async () => {
    const res = await w.send('PUT', `${BASE}/units/yes%2Fno.service`, { headers: [J], body: { options: O } });
    expectFleetError(res, 404, '');
  });

  it('§12.28 the empty name is unreachable: PUT /units/ → 404', async () => {
    const res = await w.send('PUT', `${BASE}/units/`, { headers: [J], body: { options: O } });
    expectFleetError(res, 404, '');
  });

  it('§12.39 new.foo → invalid unit type: "foo"; x@1.mount → invalid unit type for template: "mount"', async () => {
    expectFleetError(await w.putUnit('new.foo', { options: O }), 400, 'invalid unit type: "foo"');
    expectFleetError(
      await w.putUnit('x@1.mount', { options: O }),
      400,
      'invalid unit type for template: "mount"',
    );
  });

  it('§12.39 @x.service, x., xservice → 400', async () => {
    expectFleetError(await w.putUnit('@x.service', { options: O }), 400, 'unit name cannot start in "@"');
    expectFleetError(await w.putUnit('x.', { options: O }), 400, 'unit name cannot end in "."');
    expectFleetError(await w.putUnit('xservice', { options: O }), 400, 'unit name must contain "."');
  });

  it("§12.39 /units/a%20b.service → 400 invalid character ' ' in unit name", async () => {
    const res = await w.send('PUT', `${BASE}/units/a%20b.service`, { headers: [J], body: { options: O } });
    expectFleetError(res, 400, "invalid character ' ' in unit name");
  });

  it('§12.39 a 258-character name → 400 unit name exceeds maximum length (256)', async () => {
    const name = `${'a'.repeat(250)}.service`;
    expect(name.length).toBe(258);
    expectFleetError(await w.putUnit(name, { options: O }), 400, 'unit name exceeds maximum length (256)');
  });

  it('§12.39 name validation runs before the unit is looked up: bad name + no options → 400, not 409', async () => {
    expectFleetError(
      await w.putUnit('foo.bar', { desiredState: 'launched' }),
      400,
      'invalid unit type: "bar"',
    );
  });

  it('§12.40 PUT /units/.service {"options":O} → 201; foo@bar@baz.service → 201', async () => {
    expectNoContent(await w.putUnit('.service', { options: O }), 201);
    expectNoContent(await w.putUnit('foo@bar@baz.service', { options: O }), 201);
    expect((await w.getUnit('.service')).status).toBe(200);
    expect((await w.getUnit('foo@bar@baz.service')).status).toBe(200);
  });

  it('§12.27 Conflicts=b*e + MachineOf=bar.service → 400 (peer matches conflict)', async () => {
    const options = xfleet(['Conflicts', 'b*e'], ['MachineOf', 'bar.service']);
    expectFleetError(
      await w.putUnit('v1.service', { options }),
      400,
      'unresolvable requirements: peer "bar.service" matches conflict "b*e"',
    );
  });

  it('§12.27 Conflicts=b*e + MachineOf=foo.service → 201', async () => {
    const options = xfleet(['Conflicts', 'b*e'], ['MachineOf', 'foo.service']);
    expectNoContent(await w.putUnit('v2.service', { options }), 201);
  });

  it('§12.27 Replaces=foo.service + Conflicts=bar.service → 400', async () => {
    const options = xfleet(['Replaces', 'foo.service'], ['Conflicts', 'bar.service']);
    expectFleetError(
      await w.putUnit('v3.service', { options }),
      400,
      'Conflicts cannot be used with Replaces',
    );
  });

  it('§12.27 Global=true + Conflicts=foo.service → 201 (allowed since v1.0.0)', async () => {
    const options = xfleet(['Global', 'true'], ['Conflicts', 'foo.service']);
    expectNoContent(await w.putUnit('v4.service', { options }), 201);
  });

  it('§12.27 Global=true + MachineID in either order → 400 MachineID cannot be used with Global', async () => {
    const a = xfleet(['Global', 'true'], ['MachineID', 'XXX']);
    const b = xfleet(['MachineID', 'XXX'], ['Global', 'true']);
    expectFleetError(
      await w.putUnit('v5.service', { options: a }),
      400,
      'MachineID cannot be used with Global',
    );
    expectFleetError(
      await w.putUnit('v6.service', { options: b }),
      400,
      'MachineID cannot be used with Global',
    );
  });

  it('§12.27 (errors.md) Conflicts=a* + MachineOf=ab.service → 400 with fleet’s exact message', async () => {
    const options = xfleet(['Conflicts', 'a*'], ['MachineOf', 'ab.service']);
    expectFleetError(
      await w.putUnit('opt.service', { options }),
      400,
      'unresolvable requirements: peer "ab.service" matches conflict "a*"',
    );
  });

  it('§12.44 an option value of 2100 characters → 400 line too long (max 2048 bytes)', async () => {
    const options = [{ section: 'Service', name: 'ExecStart', value: 'x'.repeat(2100) }];
    expectFleetError(await w.putUnit('long.service', { options }), 400, 'line too long (max 2048 bytes)');
    expect((await w.getUnit('long.service')).status).toBe(404);
  });

  it('§12.44 a value containing \\n → 400 unexpected newline encountered while parsing option name', async () => {
    const options = [{ section: 'Service', name: 'ExecStart', value: '/bin/true\n/bin/false' }];
    expectFleetError(
      await w.putUnit('nl.service', { options }),
      400,
      'unexpected newline encountered while parsing option name',
    );
  });
});
