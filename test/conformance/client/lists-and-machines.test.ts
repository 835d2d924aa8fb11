/**
 * fleet-api.md §12 through fleet-client: lists across pages (§5), empty lists, machines and
 * machine metadata (§4.7, §4.8), over TCP and a unix socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClientSim,
  type ClientSimOptions,
  expectFleetFailure,
  startClientSim,
} from '../support/client-sim.js';
import { MACHINES_XXX_YYY, O } from '../support/reference.js';

describe.each([
  { transport: 'tcp', unixSocket: false },
  { transport: 'unix socket', unixSocket: true },
])('conformance (fleet-client over $transport): lists and machines', ({ unixSocket }) => {
  let cs: ClientSim | undefined;
  afterEach(async () => {
    await cs?.close();
    cs = undefined;
  });
  const start = async (options: ClientSimOptions = {}) => {
    cs = await startClientSim({ machines: [...MACHINES_XXX_YYY], unixSocket, ...options });
    return cs;
  };
  const createAll = async (c: ClientSim, names: string[]) => {
    for (const name of names) await c.client.createUnit({ name, options: O });
  };

  it('§12.18 listMachines → XXX (no IP, no metadata) and YYY (1.2.3.4, ping=pong), absent fields left out', async () => {
    const c = await start();
    expect(await c.client.listMachines()).toEqual([
      { id: 'XXX' },
      { id: 'YYY', primaryIP: '1.2.3.4', metadata: { ping: 'pong' } },
    ]);
  });

  it('§12.19 patchMachineMetadata add XXX foo=bar, replace YYY ping=splat → listed', async () => {
    const c = await start();
    await c.client.patchMachineMetadata([
      { op: 'add', machineID: 'XXX', key: 'foo', value: 'bar' },
      { op: 'replace', machineID: 'YYY', key: 'ping', value: 'splat' },
    ]);
    expect(await c.client.listMachines()).toEqual([
      { id: 'XXX', metadata: { foo: 'bar' } },
      { id: 'YYY', primaryIP: '1.2.3.4', metadata: { ping: 'splat' } },
    ]);
  });

  it('§12.20 patchMachineMetadata remove XXX foo, YYY ping → the keys disappear', async () => {
    const c = await start();
    await c.client.patchMachineMetadata([{ op: 'add', machineID: 'XXX', key: 'foo', value: 'bar' }]);
    await c.client.patchMachineMetadata([
      { op: 'remove', machineID: 'XXX', key: 'foo' },
      { op: 'remove', machineID: 'YYY', key: 'ping' },
    ]);
    expect(await c.client.listMachines()).toEqual([{ id: 'XXX' }, { id: 'YYY', primaryIP: '1.2.3.4' }]);
  });

  it('§12.21/§12.55 a metadata key fleet rejects (a space) → FleetRejectedError 400 machine metadata path invalid; nothing applied', async () => {
    const c = await start();
    await expectFleetFailure(
      c.client.patchMachineMetadata([
        { op: 'add', machineID: 'XXX', key: 'ok', value: '1' },
        { op: 'add', machineID: 'XXX', key: 'foo bar', value: 'x' },
      ]),
      { name: 'FleetRejectedError', status: 400, fleetMessage: 'machine metadata path invalid' },
    );
    expect((await c.client.listMachines())[0]).toEqual({ id: 'XXX' });
  });

  it('§12.21 add with an empty value → FleetRejectedError 400 invalid value', async () => {
    const c = await start();
    await expectFleetFailure(
      c.client.patchMachineMetadata([{ op: 'add', machineID: 'XXX', key: 'foo', value: '' }]),
      {
        name: 'FleetRejectedError',
        status: 400,
        fleetMessage: 'invalid value: add and replace require a value',
      },
    );
  });

  it('§12.54 the client sends the nested value shape: add → 204 and the value is stored', async () => {
    const c = await start();
    await c.client.patchMachineMetadata([{ op: 'add', machineID: 'YYY', key: 'foo', value: 'bar' }]);
    expect((await c.client.listMachines())[1]?.metadata).toEqual({ foo: 'bar', ping: 'pong' });
  });

  it('§12.55 an empty change list succeeds; an unknown machine ID succeeds', async () => {
    const c = await start();
    await expect(c.client.patchMachineMetadata([])).resolves.toBeUndefined();
    await expect(
      c.client.patchMachineMetadata([{ op: 'add', machineID: 'm-unknown', key: 'foo', value: 'bar' }]),
    ).resolves.toBeUndefined();
    expect((await c.client.listMachines()).map((m) => m.id)).toEqual(['XXX', 'YYY']);
  });

  it('§12.26 103 units at limit 60 → listUnits returns all 103 in order (two pages)', async () => {
    const c = await start({ tokenLimit: 60 });
    const names = Array.from({ length: 103 }, (_, i) => `u-${String(i).padStart(3, '0')}.service`);
    await createAll(c, names);
    const before = c.requestCount();
    expect((await c.client.listUnits()).map((u) => u.name)).toEqual(names);
    expect(c.requestCount() - before).toBe(2);
  });

  it('§12.29 empty registry: listUnits → [], listUnitStates → []', async () => {
    const c = await start();
    expect(await c.client.listUnits()).toEqual([]);
    expect(await c.client.listUnitStates()).toEqual([]);
  });

  it('§12.48 limit 2, 3 units → listUnits returns 3 (page 2 via the AgACAA== token with its padding)', async () => {
    const c = await start({ tokenLimit: 2 });
    await createAll(c, ['c.service', 'a.service', 'b.service']);
    const before = c.requestCount();
    expect((await c.client.listUnits()).map((u) => u.name)).toEqual(['a.service', 'b.service', 'c.service']);
    expect(c.requestCount() - before).toBe(2);
  });

  it('§12.49 limit 2 with exactly 2 machines → listMachines returns 2 (walks the trailing {} page)', async () => {
    const c = await start({ tokenLimit: 2 });
    const before = c.requestCount();
    expect((await c.client.listMachines()).map((m) => m.id)).toEqual(['XXX', 'YYY']);
    expect(c.requestCount() - before).toBe(2);
  });
});
