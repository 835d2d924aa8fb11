import type { ConnectionSettings } from './connect.js';

/** The connection part of the global flags. */
export function connectionSettings(flags: {
  endpoint: string;
  'ca-file'?: string | undefined;
  'cert-file'?: string | undefined;
  'key-file'?: string | undefined;
  'request-timeout'?: number | undefined;
}): ConnectionSettings {
  return {
    endpoint: flags.endpoint,
    caFile: flags['ca-file'],
    certFile: flags['cert-file'],
    keyFile: flags['key-file'],
    requestTimeoutMs: flags['request-timeout'],
  };
}
