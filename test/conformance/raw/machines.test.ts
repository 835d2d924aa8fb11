/**
 * fleet-api.md §12 over raw HTTP: GET /machines and PATCH /machines metadata (§4.7, §4.8, §2.8).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerValues } from '../../helpers/raw-http.js';
import { BASE, J, MACHINES_XXX_YYY, MACHINES_XXX_YYY_BODY } from '../support/reference.js';
import { expectFleetError, expectJson, startWireSim, type WireSim } from '../support/wire-sim.js';

type MachinePage = { machines?: { id: string; metadata?: Record<string, string> }[] };

describe('conformance (raw HTTP): machines', () => {
  let w: WireSim;
  beforeEach(async () => {
    w = await startWireSim({ machines: [...MACHINES_XXX_YYY] });
  });
  afterEach(async () => {
    await w.close();
  });

  const patch = (ops: unknown, headers: ReadonlyArray<readonly [string, string]> = [J]) =>
    w.send('PATCH', `${BASE}/machines`, {
      headers,
      body: typeof ops === 'string' ? ops : JSON.stringify(ops),
    });
  const metadataOf = async (id: string) =>
    (JSON.parse((await w.get('machines')).body) as MachinePage).machines?.find((m) => m.id === id)?.metadata;
  const expectPatchNoContent = (res: Awaited<ReturnType<typeof patch>>) => {
    expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: '' });
    // §1.2: PATCH's 204 does carry Content-Type: application/json.
    expect(headerValues(res, 'content-type')).toEqual(['application/json']);
  };

  it('§12.18 GET /machines body is exactly {"machines":[{"id":"XXX"},{"id":"YYY","metadata":{"ping":"pong"},"primaryIP":"1.2.3.4"}]}', async () => {
    expectJson(await w.get('machines'), MACHINES_XXX_YYY_BODY);
  });

  it('§12.19 PATCH add XXX foo=bar + replace YYY ping=splat → 204; the list shows both', async () => {
    const res = await patch([
      { op: 'add', path: '/XXX/metadata/foo', value: { value: 'bar' } },
      { op: 'replace', path: '/YYY/metadata/ping', value: { value: 'splat' } },
    ]);
    expectPatchNoContent(res);
    expectJson(
      await w.get('machines'),
      '{"machines":[{"id":"XXX","metadata":{"foo":"bar"}},{"id":"YYY","metadata":{"ping":"splat"},"primaryIP":"1.2.3.4"}]}',
    );
  });

  it('§12.20 PATCH remove XXX foo and YYY ping → 204; the metadata keys disappear', async () => {
    expectPatchNoContent(await patch([{ op: 'add', path: '/XXX/metadata/foo', value: { value: 'bar' } }]));
    const res = await patch([
      { op: 'remove', path: '/XXX/metadata/foo' },
      { op: 'remove', path: '/YYY/metadata/ping' },
    ]);
    expectPatchNoContent(res);
    expect(await metadataOf('XXX')).toBeUndefined();
    expect(await metadataOf('YYY')).toBeUndefined();
    expectJson(await w.get('machines'), '{"machines":[{"id":"XXX"},{"id":"YYY","primaryIP":"1.2.3.4"}]}');
  });

  it('§12.21 op noop → 400; path /XXX/foo → 400; add without value → 400; nothing applied', async () => {
    expectFleetError(
      await patch([{ op: 'noop', path: '/XXX/metadata/foo', value: { value: 'bar' } }]),
      400,
      'invalid op: expect add, remove, or replace',
    );
    expectFleetError(
      await patch([{ op: 'add', path: '/XXX/foo', value: { value: 'bar' } }]),
      400,
      'machine metadata path invalid',
    );
    expectFleetError(
      await patch([{ op: 'add', path: '/XXX/metadata/foo' }]),
      400,
      'invalid value: add and replace require a value',
    );
    expectFleetError(
      await patch([{ op: 'replace', path: '/XXX/metadata/foo', value: { value: '' } }]),
      400,
      'invalid value: add and replace require a value',
    );
    expectJson(await w.get('machines'), MACHINES_XXX_YYY_BODY);
  });

  it('§12.54 a bare-string value → 400; the nested {"value":{"value":"bar"}} → 204 with Content-Type and empty body', async () => {
    const bare = await patch([{ op: 'add', path: '/YYY/metadata/foo', value: 'bar' }]);
    expectFleetError(bare, 400, /cannot unmarshal string/);
    expectPatchNoContent(await patch([{ op: 'add', path: '/YYY/metadata/foo', value: { value: 'bar' } }]));
    // Go marshals maps with sorted keys.
    expectJson(
      await w.get('machines'),
      '{"machines":[{"id":"XXX"},{"id":"YYY","metadata":{"foo":"bar","ping":"pong"},"primaryIP":"1.2.3.4"}]}',
    );
  });

  it('§12.54 "Value" (capitalised, Go’s case-insensitive decoding) also → 204', async () => {
    expectPatchNoContent(await patch([{ op: 'add', path: '/XXX/metadata/foo', value: { Value: 'baz' } }]));
    expect(await metadataOf('XXX')).toEqual({ foo: 'baz' });
  });

  it('§12.55 PATCH [] → 204; {} → 400', async () => {
    expectPatchNoContent(await patch([]));
    expectFleetError(
      await patch({}),
      400,
      'json: cannot unmarshal object into Go value of type []api.machineMetadataOp',
    );
  });

  it('§12.55 an unknown machine ID → 204 (accepted; not listed)', async () => {
    expectPatchNoContent(
      await patch([{ op: 'add', path: '/m-unknown/metadata/foo', value: { value: 'bar' } }]),
    );
    expectJson(await w.get('machines'), MACHINES_XXX_YYY_BODY);
  });

  it('§12.55 [valid add, op "bad"] → 400, and the first op is not applied', async () => {
    const res = await patch([
      { op: 'add', path: '/XXX/metadata/foo', value: { value: 'bar' } },
      { op: 'bad', path: '/XXX/metadata/foo', value: { value: 'bar' } },
    ]);
    expectFleetError(res, 400, 'invalid op: expect add, remove, or replace');
    expect(await metadataOf('XXX')).toBeUndefined();
  });

  it('§12.55 a metadata key containing a space → 400 machine metadata path invalid', async () => {
    expectFleetError(
      await patch([{ op: 'add', path: '/XXX/metadata/foo bar', value: { value: 'x' } }]),
      400,
      'machine metadata path invalid',
    );
  });

  it('§12.54 (§1.2) PATCH checks no Content-Type: none or text/plain → 204', async () => {
    expectPatchNoContent(await patch([{ op: 'add', path: '/XXX/metadata/a', value: { value: '1' } }], []));
    expectPatchNoContent(
      await patch(
        [{ op: 'add', path: '/XXX/metadata/b', value: { value: '2' } }],
        [['Content-Type', 'text/plain']],
      ),
    );
    expect(await metadataOf('XXX')).toEqual({ a: '1', b: '2' });
  });
});
