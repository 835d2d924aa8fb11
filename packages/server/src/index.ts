// @fleet-service/server: the public surface.

export { type Credentials, credentialsFrom, type Env, hasCredentials } from './config/credentials.js';
export { DEFAULT_LISTEN, isLocalOnly, type ListenAddress, parseListen } from './config/listen.js';
export { configOf, loadServeConfig, type ServeConfig } from './config/serve-config.js';
export { SERVICE_NAME } from './engine/deploy-spec.js';
export { Deployer, type DeployerOptions } from './engine/deployer.js';
export type { CallbackPoster } from './engine/dockerhub-callbacks.js';
export { type ImageRef, isMovingTag, parseImageRef, sameRepository } from './engine/image-ref.js';
export { type PushMatch, repullRequests, requestsForPush } from './engine/push-plan.js';
export {
  DeployRequestError,
  isServeError,
  NoCredentialsError,
  SERVE_ERROR_CODES,
  ServeConfigError,
  ServeError,
  type ServeErrorCode,
  StateStoreError,
} from './errors.js';
export { type AuthVerdict, createAuthCheck } from './http/auth.js';
export { entryView, HTTP_STATUS_FOR_CLASS, statusOfEntry } from './http/status-of.js';
export { createServer, type FsServer, redactUrl, type ServeOptions } from './server.js';
export type {
  DeployRequest,
  EntryOutcome,
  EntryState,
  RequestSource,
  RolloutEntry,
  StoredEvent,
  StreamEvent,
} from './store/entry.js';
export { StateStore, type StateStoreOptions } from './store/state-store.js';
