/**
 * The pure fleet helpers the engine uses, in one place (all from `@fleet-service/fleet-client`):
 * unit names, unit-file normal form and hashing, option validation, [X-Fleet] requirements.
 */
export {
  instanceName,
  normalizeUnitOptions,
  parseRequirements,
  parseUnitName,
  serializeUnitFile,
  templateName,
  unitHash,
  validateServiceName,
  validateUnitOptions,
} from '@fleet-service/fleet-client';
