/**
 * fleet-api.md §12 over raw HTTP: page tokens (§5) on /units, /state and /machines; empty pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MACHINES_XXX_YYY, MACHINES_XXX_YYY_BODY, O } from '../support/reference.js';
import { expectFleetError, expectJson, startWireSim, type WireSim } from '../support/wire-sim.js';

/** §5: URL-safe base64 of little-endian uint16 limit, uint16 page, with padding. */
function token(limit: number, page: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16LE(limit, 0);
  bytes.writeUInt16LE(page, 2);
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

type UnitPage = { units?: { name: string }[]; nextPageToken?: string };

describe('conformance (raw HTTP): pagination', () => {
  let w: WireSim | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });
  const start = async (tokenLimit?: number, machines: unknown[] = [...MACHINES_XXX_YYY]) => {
    w = await startWireSim({ machines: machines as never, ...(tokenLimit ? { tokenLimit } : {}) });
    return w;
  };
  const createUnits = async (s: WireSim, names: string[]) => {
    for (const name of names) {
      const res = await s.putUnit(name, { options: O });
      expect(res.status, `create ${name}: ${res.body}`).toBe(201);
    }
  };

  it('§12.2 GET /units?nextPageToken=EwBMLg== (limit 19) → 400 error JSON, error.code 400', async () => {
    const s = await start();
    expectFleetError(await s.get('units?nextPageToken=EwBMLg=='), 400, 'token limit must be 100');
  });

  it('§12.3 GET /state?nextPageToken=EwBMLg== → 400', async () => {
    const s = await start();
    expectFleetError(await s.get('state?nextPageToken=EwBMLg=='), 400, 'token limit must be 100');
  });

  it('§12.4 GET /machines?nextPageToken=EwBMLg== → 400', async () => {
    const s = await start();
    expectFleetError(await s.get('machines?nextPageToken=EwBMLg=='), 400, 'token limit must be 100');
  });

  it('§12.25 token {Limit:19,Page:11852} ⇄ EwBMLg==; fleet’s other vectors (codec check of this suite)', () => {
    expect(token(19, 11852)).toBe('EwBMLg==');
    expect(token(12482, 0)).toBe('wjAAAA==');
    expect(token(45, 9)).toBe('LQAJAA==');
    expect(token(1023, 0)).toBe('_wMAAA==');
    expect(token(100, 2)).toBe('ZAACAA==');
  });

  it('§12.25 ZABMLg== = {100,11852} is accepted at limit 100 (past the end → 200 {})', async () => {
    const s = await start();
    await createUnits(s, ['a.service']);
    expect(token(100, 11852)).toBe('ZABMLg==');
    expectJson(await s.get('units?nextPageToken=ZABMLg=='), '{}');
  });

  it('§12.25 nextPageToken=bogus → 400; empty → 400 EOF; two tokens → 400', async () => {
    const s = await start();
    expectFleetError(
      await s.get('units?nextPageToken=bogus'),
      400,
      /^illegal base64 data at input byte \d+$/,
    );
    expectFleetError(await s.get('units?nextPageToken='), 400, 'EOF');
    expectFleetError(
      await s.get('units?nextPageToken=ZAABAA==&nextPageToken=ZAABAA=='),
      400,
      'too many values for page token',
    );
  });

  it('§12.25 a limit other than 100 → 400 token limit must be 100; page 0 → 400', async () => {
    const s = await start();
    expectFleetError(await s.get('units?nextPageToken=CgABAA=='), 400, 'token limit must be 100');
    expectFleetError(await s.get('units?nextPageToken=AAAAAA=='), 400, 'token limit must be 100');
    expectFleetError(
      await s.get('units?nextPageToken=ZAAAAA=='),
      400,
      'token page must be greater than zero',
    );
  });

  it('§12.25 (errors.md) bad base64 messages name the byte: garbage! → byte 7, xyz → byte 0', async () => {
    const s = await start();
    expectFleetError(await s.get('units?nextPageToken=garbage!'), 400, 'illegal base64 data at input byte 7');
    expectFleetError(await s.get('state?nextPageToken=xyz'), 400, 'illegal base64 data at input byte 0');
    expectFleetError(await s.get('machines?nextPageToken=xyz'), 400, 'illegal base64 data at input byte 0');
  });

  it('§12.25 (errors.md) a hand-made page-1 token ZAABAA== on an empty registry → 200 {}', async () => {
    const s = await start();
    expectJson(await s.get('units?nextPageToken=ZAABAA=='), '{}');
  });

  it('§12.26 103 units at limit 60: page 1 = 60 items + token for page 2; page 2 = 43 items, no token', async () => {
    const s = await start(60);
    const names = Array.from({ length: 103 }, (_, i) => `u-${String(i).padStart(3, '0')}.service`);
    await createUnits(s, names);
    const page1 = expectJson(await s.get('units')) as UnitPage;
    expect(page1.units?.length).toBe(60);
    expect(page1.nextPageToken).toBe(token(60, 2));
    expect(page1.units?.map((u) => u.name)).toEqual(names.slice(0, 60));
    const page2 = expectJson(await s.get(`units?nextPageToken=${page1.nextPageToken}`)) as UnitPage;
    expect(page2.units?.map((u) => u.name)).toEqual(names.slice(60));
    expect(page2.nextPageToken).toBeUndefined();
  });

  it('§12.29 empty registry: GET /units → 200 {}; GET /state → 200 {}', async () => {
    const s = await start();
    expectJson(await s.get('units'), '{}');
    expectJson(await s.get('state'), '{}');
  });

  it('§12.29 no machines: GET /machines → 200 {}', async () => {
    const s = await start(undefined, []);
    expectJson(await s.get('machines'), '{}');
  });

  it('§12.48 limit 2, 3 units: page 1 has 2 + "nextPageToken":"AgACAA=="; page 2 has 1, no token; AgADAA== → {}', async () => {
    const s = await start(2);
    await createUnits(s, ['c.service', 'a.service', 'b.service']);
    const res1 = await s.get('units');
    const page1 = expectJson(res1) as UnitPage;
    expect(page1.units?.map((u) => u.name)).toEqual(['a.service', 'b.service']);
    expect(res1.body.startsWith('{"nextPageToken":"AgACAA==","units":[')).toBe(true);
    const page2 = expectJson(await s.get('units?nextPageToken=AgACAA==')) as UnitPage;
    expect(page2.units?.map((u) => u.name)).toEqual(['c.service']);
    expect(page2.nextPageToken).toBeUndefined();
    expectJson(await s.get('units?nextPageToken=AgADAA=='), '{}');
  });

  it('§12.49 limit 2 with exactly 2 machines: 2 machines plus nextPageToken; the next page → {}', async () => {
    const s = await start(2);
    const expected = `${MACHINES_XXX_YYY_BODY.slice(0, -1)},"nextPageToken":"AgACAA=="}`;
    expectJson(await s.get('machines'), expected);
    expectJson(await s.get('machines?nextPageToken=AgACAA=='), '{}');
  });

  it('§12.50 at limit 2: ZABMLg== → 400 token limit must be 2; AgAAAA== → 400 page must be > 0', async () => {
    const s = await start(2);
    await createUnits(s, ['a.service', 'b.service', 'c.service']);
    expectFleetError(await s.get('units?nextPageToken=ZABMLg=='), 400, 'token limit must be 2');
    expectFleetError(
      await s.get('units?nextPageToken=AgAAAA=='),
      400,
      'token page must be greater than zero',
    );
  });

  it('§12.50 unpadded AgACAA → 400 illegal base64 data at input byte 4; AgACAA%3D%3D → 200', async () => {
    const s = await start(2);
    await createUnits(s, ['a.service', 'b.service', 'c.service']);
    expectFleetError(await s.get('units?nextPageToken=AgACAA'), 400, 'illegal base64 data at input byte 4');
    const page2 = expectJson(await s.get('units?nextPageToken=AgACAA%3D%3D')) as UnitPage;
    expect(page2.units?.map((u) => u.name)).toEqual(['c.service']);
  });

  it('§12.48 (§4.1) unknown query parameters are ignored: ?alt=json&filter=x → the same page', async () => {
    const s = await start();
    await createUnits(s, ['a.service']);
    const plain = await s.get('units');
    const withJunk = await s.get('units?alt=json&filter=x&fields=y');
    expect(withJunk.status).toBe(200);
    expect(withJunk.body).toBe(plain.body);
  });
});
