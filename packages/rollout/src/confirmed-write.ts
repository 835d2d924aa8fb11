/**
 * A PUT with options whose answer was lost (a timeout or reset after fleet may have acted on it) is
 * not retried by the client: a blind retry could misreport what happened. Retries live in one place
 * (fleet-client, bounded by its time budget); the engine does not add a second layer. Instead, after
 * such a failure it reads the unit back once: if fleet holds exactly what was written (same contents,
 * same desiredState) the write happened, and the step goes on; if the read shows it did not happen,
 * the write is sent once more (now known not to be a duplicate); if the read fails too, the
 * original error stands.
 */
import {
  type CallOptions,
  type CreateUnitRequest,
  type FleetApi,
  unitHash,
} from '@fleet-service/fleet-client';
import { isTransient } from './wait.js';

export async function createConfirmed(
  api: FleetApi,
  unit: CreateUnitRequest,
  options: CallOptions = {},
): Promise<void> {
  try {
    await api.createUnit(unit, options);
  } catch (error) {
    if (!isTransient(error)) throw error;
    const back = await api.getUnit(unit.name, options).then(
      (u) => ({ unit: u }),
      () => undefined,
    );
    if (!back) throw error;
    const written =
      back.unit !== undefined &&
      back.unit.desiredState === unit.desiredState &&
      unitHash(back.unit.options ?? []) === unitHash(unit.options);
    if (!written) await api.createUnit(unit, options);
  }
}
