// @fleet-service/fleet-client: the public surface (types with `export type`), sorted by module.

export type {
  FleetClientOptions,
  RequestInfo,
  ResponseInfo,
  TimeoutOptions,
} from './client-options.js';
export { DEFAULT_REQUEST_TIMEOUT, DEFAULT_USER_AGENT } from './client-options.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { FleetEndpoint, TcpFleetEndpoint, UnixFleetEndpoint } from './endpoint.js';
export { DEFAULT_ENDPOINT, FLEET_API_PATH, parseEndpoint } from './endpoint.js';
export type { FleetErrorCode, FleetErrorContext, ValidationProblem } from './errors.js';
export {
  FLEET_ERROR_CODES,
  FleetBadResponseError,
  FleetConflictError,
  FleetError,
  FleetNotFoundError,
  FleetRejectedError,
  FleetServerError,
  FleetTimeoutError,
  FleetUnavailableError,
  FleetUnreachableError,
  FleetValidationError,
  InvalidClientOptionsError,
  InvalidEndpointError,
  isFleetBadResponseError,
  isFleetConflictError,
  isFleetError,
  isFleetNotFoundError,
  isFleetRejectedError,
  isFleetServerError,
  isFleetTimeoutError,
  isFleetUnavailableError,
  isFleetUnreachableError,
  isFleetValidationError,
  isInvalidClientOptionsError,
  isInvalidEndpointError,
  isNotFleetError,
  NotFleetError,
} from './errors.js';
export type {
  CallOptions,
  CreateUnitRequest,
  CreateUnitResult,
  DestroyUnitOptions,
  FleetApi,
  MachineMetadataChange,
  UnitStateFilter,
} from './fleet-api.js';
export { isValidPathPattern, pathMatch } from './glob.js';
export { goQuoteString } from './go-quote.js';
export { EMPTY_UNIT_HASH, shortHash, unitHash } from './hash.js';
export type { FleetClient } from './http-fleet-api.js';
export { createFleetClient, HttpFleetApi } from './http-fleet-api.js';
export { parseServerVersion } from './http-server-version.js';
export type { UnitNameInfo } from './names.js';
export {
  compareUnitNames,
  instanceName,
  isValidUnitName,
  parseUnitName,
  TEMPLATE_UNIT_TYPES,
  templateName,
  UNIT_NAME_MAX_BYTES,
  UNIT_TYPES,
  validateServiceName,
  validateUnitName,
} from './names.js';
export type { FleetRequirements } from './requirements.js';
export {
  expandSpecifiers,
  isTruthyValue,
  parseMultivalueLine,
  parseRequirements,
  X_FLEET_KEYS,
  X_FLEET_SECTION,
  xFleetValues,
} from './requirements.js';
export type { ResolvedRetryOptions, RetryOptions } from './retry-options.js';
export { DEFAULT_RETRY, retryDelay } from './retry-options.js';
export type { ConnectFunction, ConnectTarget } from './transport-connect.js';
export type { SocksProxy, SocksProxyOptions } from './tunnel/socks-proxy.js';
export { createSocksProxy } from './tunnel/socks-proxy.js';
export type { DialFunction, DialTarget, SshTunnel } from './tunnel/ssh-tunnel.js';
export { createSshTunnel } from './tunnel/ssh-tunnel.js';
export type { TunnelErrorContext } from './tunnel/tunnel-errors.js';
export {
  HostKeyChangedError,
  HostKeyUnknownError,
  isHostKeyChangedError,
  isHostKeyUnknownError,
  isSocksProxyError,
  isTunnelAuthError,
  isTunnelRemoteSocketError,
  isTunnelUnreachableError,
  SocksProxyError,
  TunnelAuthError,
  TunnelError,
  TunnelRemoteSocketError,
  TunnelUnreachableError,
} from './tunnel/tunnel-errors.js';
export type { SshTunnelOptions } from './tunnel/tunnel-options.js';
export {
  DEFAULT_SSH_TIMEOUT,
  DEFAULT_SSH_USERNAME,
  defaultKnownHostsFiles,
  parseTunnelHost,
} from './tunnel/tunnel-options.js';
export type {
  FleetErrorBody,
  JobState,
  Machine,
  MachinePage,
  MetadataOp,
  Unit,
  UnitOption,
  UnitPage,
  UnitState,
  UnitStatePage,
} from './types.js';
export { isJobState, JOB_STATES } from './types.js';
export type { UnitFileProblem } from './unit-file-error.js';
export { isUnitFileSyntaxError, UnitFileSyntaxError } from './unit-file-error.js';
export type { GoLexResult } from './unit-file-go-lexer.js';
export { goSystemdDeserialize, SYSTEMD_LINE_MAX } from './unit-file-go-lexer.js';
export { normalizeUnitOptions } from './unit-file-normalize.js';
export type { ParseUnitFileOptions } from './unit-file-parse.js';
export { parseUnitFile } from './unit-file-parse.js';
export { groupBySection, serializeUnitFile } from './unit-file-serialize.js';
export type { OptionProblem } from './validate-options.js';
export { unknownFleetKeys, validateUnitOptions } from './validate-options.js';
export type { VerifyFleetOptions } from './verify-fleet.js';
export { verifyFleet } from './verify-fleet.js';
