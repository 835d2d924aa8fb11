/**
 * A sidekick (`S-sidekick@N.service`, coco's convention) is updated with its main instance
 * `S@N.service` in the same step: the engine calls this check (a health check of kind `callback`)
 * for each new instance of S once it runs, and the step only finishes when the sidekick with the
 * same index has the new contents and runs too (on the same machine: sidekicks pin themselves with
 * `MachineOf=S@%i.service`). Each call does one step of the work and says whether it is done;
 * the engine calls again until it is (within the healthy timeout).
 */
import {
  type FleetApi,
  instanceName,
  normalizeUnitOptions,
  type UnitOption,
  unitHash,
} from '@fleet-service/fleet-client';
import type { HealthCheck } from '@fleet-service/rollout';

export function sidekickCheck(
  api: FleetApi,
  sidekick: { service: string; unitFile: UnitOption[] },
): HealthCheck {
  const options = normalizeUnitOptions(sidekick.unitFile);
  const hash = unitHash(options);
  return {
    kind: 'callback',
    async check({ index, signal }) {
      const name = instanceName(sidekick.service, index);
      const u = await api.getUnit(name, { signal });
      if (!u) {
        await api.createUnit({ name, options, desiredState: 'launched' }, { signal });
        return false;
      }
      if (unitHash(u.options ?? []) !== hash) {
        await api.destroyUnit(name, { signal, ignoreNotFound: true });
        return false;
      }
      if (u.desiredState !== 'launched') {
        await api.setUnitTargetState(name, 'launched', { signal });
        return false;
      }
      if (u.currentState !== 'launched' || !u.machineID) return false;
      const states = await api.listUnitStates({ unitName: name }, { signal });
      return states.some(
        (s) => s.machineID === u.machineID && s.hash === hash && s.systemdActiveState === 'active',
      );
    },
  };
}
