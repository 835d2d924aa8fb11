/**
 * A request → what the engine gets. Checked before the request is accepted, so a 202 is only
 * given for a request that can run: the service is known (404), allows updates (403), is a
 * template service and the version renders to a valid unit file (422).
 */
import type { DesiredService } from '@fleet-service/apply';
import { specOf, versionedSpecOf } from '@fleet-service/apply';
import { parseUnitFile, type UnitOption, validateUnitOptions } from '@fleet-service/fleet-client';
import {
  type LockOptions,
  type RolloutSpec,
  VERSION_PATTERN,
  type VersionedSpec,
} from '@fleet-service/rollout';
import type { ServeConfig } from '../config/serve-config.js';
import { DeployRequestError } from '../errors.js';
import type { DeployRequest } from '../store/entry.js';
import { renderForVersion, TAG } from './image-ref.js';

/** SymfoniNext's service-name rule (also fs's: a service name in a URL). */
export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/;

/** The configured service a request is for, or the error it is answered with. */
export function serviceFor(config: ServeConfig, request: Pick<DeployRequest, 'service'>): DesiredService {
  const d = config.services.get(request.service);
  if (!d)
    throw new DeployRequestError(`no service "${request.service}" in the config`, 404, 'unknown-service');
  if (!d.allowUpdates)
    throw new DeployRequestError(
      `service "${request.service}" does not allow updates over HTTP (allowUpdates: true in the config)`,
      403,
      'updates-not-allowed',
    );
  if (d.kind !== 'template')
    throw new DeployRequestError(
      `service "${request.service}" is a plain unit (${d.name}); fs serve rolls out template services`,
      422,
      'not-a-template',
    );
  return d;
}

/** The unit file for the request's version (the config's contents when it names none). */
export function unitFileFor(d: DesiredService, version: string | undefined): UnitOption[] {
  if (version === undefined || version === d.version) return d.unitFile;
  if (!TAG.test(version))
    throw new DeployRequestError(`version "${version}" is not a valid image tag`, 422, 'invalid-version');
  const rendered = renderForVersion(d.unitText ?? '', version, d.image);
  if (rendered.problem) throw new DeployRequestError(rendered.problem, 422, 'invalid-unit');
  let unitFile: UnitOption[];
  try {
    unitFile = parseUnitFile(rendered.text, { source: d.unitSource });
  } catch (error) {
    throw new DeployRequestError(`${d.unitSource}: ${(error as Error).message}`, 422, 'invalid-unit');
  }
  const problems = validateUnitOptions(unitFile);
  if (problems.length > 0)
    throw new DeployRequestError(
      `${d.unitSource} for version ${version}: ${problems.map((p) => p.message).join('; ')}`,
      422,
      'invalid-unit',
    );
  return unitFile;
}

/** The engine's spec for a deploy request (throws DeployRequestError when it cannot run). */
export function specFor(config: ServeConfig, request: DeployRequest, lock: LockOptions): RolloutSpec {
  const d = serviceFor(config, request);
  return {
    ...specOf(d, request.force ? { force: true } : {}),
    unitFile: unitFileFor(d, request.version),
    ...(request.count !== undefined ? { count: request.count } : {}),
    lock,
  };
}

/** A version name usable in unit names and as an image tag, or the error it is answered with (400). */
export function checkVersion(version: string | undefined): string {
  if (version === undefined || !VERSION_PATTERN.test(version) || !TAG.test(version))
    throw new DeployRequestError(
      `version ${JSON.stringify(version ?? '')} is not usable: letters, digits, '.' and '_' (an image tag that is also part of the unit names)`,
      400,
      'invalid-version',
    );
  return version;
}

/** The versioned deploy of a `deploy-version` request (deployster's POST …/deploys). */
export function versionedSpecFor(
  config: ServeConfig,
  request: DeployRequest,
  lock: LockOptions,
): VersionedSpec {
  const d = serviceFor(config, request);
  const version = checkVersion(request.version);
  const { count: _configured, ...spec } = versionedSpecOf(d);
  return {
    ...spec,
    version,
    unitFile: unitFileFor(d, version),
    ...(request.count ? { count: request.count } : {}),
    destroyPrevious: request.destroyPrevious ?? false,
    lock,
  };
}
