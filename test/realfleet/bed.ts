/**
 * Test-side access to the run's real fleet (started once by global-setup.ts): the test bed, or
 * why it is skipped, plus per-test unit-name prefixes (tests share one cluster and never reuse a
 * name, since re-creating a just-deleted name races with the fleet agent's unload).
 */
import { randomBytes } from 'node:crypto';
import { createFleetClient, type FleetClient } from '@fleet-service/fleet-client';
import { inject } from 'vitest';
import type { TestBed } from './testbed.js';

const provided = inject('realfleet');

/** The test bed, or undefined when the suite is skipped here. */
export const bed: TestBed | undefined = 'skip' in provided ? undefined : provided;

/** Why the suite is skipped (undefined when it runs). */
export const skipReason: string | undefined = 'skip' in provided ? provided.skip : undefined;

if (skipReason) console.warn(`[realfleet] skipped: ${skipReason}`);

/** The test bed; throws when skipped (only called inside tests that run). */
export function requireBed(): TestBed {
  if (!bed) throw new Error(skipReason);
  return bed;
}

/** A fresh name prefix: lowercase letters only, so it is valid in any unit name. */
export function freshName(label: string): string {
  const letters = [...randomBytes(5)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${label}${letters}`;
}

/** A fleet client for the test bed (no retries: fleet's answers are what is tested). */
export function realClient(opts: { retries?: boolean } = {}): FleetClient {
  return createFleetClient({
    endpoint: requireBed().endpoint,
    ...(opts.retries ? {} : { retry: { limit: 0 } }),
  });
}
