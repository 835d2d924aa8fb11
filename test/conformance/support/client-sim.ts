/**
 * A fleet-sim on a ManualClock with a fleet-client pointed at it (no retries, so every fleet
 * answer reaches the test as it was), plus assertions on the client's errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleetClient, type FleetClient, type FleetError } from '@fleet-service/fleet-client';
import { ManualClock, startFleetSim } from '@fleet-service/fleet-sim';
import { expect } from 'vitest';
import type { FleetSim, SimOptions } from './wire-sim.js';

export interface ClientSim {
  readonly sim: FleetSim;
  readonly clock: ManualClock;
  readonly client: FleetClient;
  /** Number of HTTP requests the sim has seen so far. */
  requestCount(): number;
  close(): Promise<void>;
}

export interface ClientSimOptions extends Omit<SimOptions, 'clock' | 'listen'> {
  /** Listen on a unix socket in a fresh temp dir instead of 127.0.0.1:0. @default false */
  unixSocket?: boolean;
}

/** Start a sim with a ManualClock and `createFleetClient({ endpoint: sim.endpoint, retry: { limit: 0 } })`. */
export async function startClientSim(options: ClientSimOptions = {}): Promise<ClientSim> {
  const { unixSocket = false, ...simOptions } = options;
  const clock = new ManualClock();
  let socketDir: string | undefined;
  if (unixSocket) socketDir = await mkdtemp(join(tmpdir(), 'fleet-conformance-client-'));
  const sim = await startFleetSim({
    ...simOptions,
    clock,
    ...(socketDir ? { listen: { socketPath: join(socketDir, 'fleet.sock') } } : {}),
  });
  const client = createFleetClient({ endpoint: sim.endpoint, retry: { limit: 0 } });
  return {
    sim,
    clock,
    client,
    requestCount: () => sim.cluster.requests.length,
    async close() {
      client.close();
      await sim.close();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
    },
  };
}

/** Await `promise`, expect it to reject, and return the error. */
export async function rejectionOf(promise: Promise<unknown>): Promise<FleetError> {
  try {
    await promise;
  } catch (error) {
    return error as FleetError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The call fails with a FleetError of `name` carrying fleet's `status` and `fleetMessage`. */
export async function expectFleetFailure(
  promise: Promise<unknown>,
  expected: { name: string; status: number; fleetMessage?: string | RegExp },
): Promise<FleetError> {
  const error = await rejectionOf(promise);
  expect(error.name, String(error)).toBe(expected.name);
  expect(error.status).toBe(expected.status);
  if (typeof expected.fleetMessage === 'string') expect(error.fleetMessage).toBe(expected.fleetMessage);
  else if (expected.fleetMessage) expect(error.fleetMessage).toMatch(expected.fleetMessage);
  return error;
}

/**
 * The client refuses locally (FleetValidationError, nothing sent) and one of its problems carries
 * fleet's own message for the same request.
 */
export async function expectLocalRefusal(
  cs: ClientSim,
  call: () => Promise<unknown>,
  fleetMessage: string | RegExp,
): Promise<void> {
  const before = cs.requestCount();
  const error = (await rejectionOf(call())) as FleetError & { problems?: { message: string }[] };
  expect(error.name, String(error)).toBe('FleetValidationError');
  expect(error.code).toBe('ERR_FLEET_INVALID_UNIT');
  const messages = (error.problems ?? []).map((p) => p.message);
  if (typeof fleetMessage === 'string') expect(messages).toContain(fleetMessage);
  else
    expect(
      messages.some((m) => fleetMessage.test(m)),
      JSON.stringify(messages),
    ).toBe(true);
  expect(cs.requestCount()).toBe(before);
}
