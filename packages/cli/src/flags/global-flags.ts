import { Flags } from '@oclif/core';
import { connectionFlags } from './connection-flags.js';
import { type DurationBounds, parseDuration } from './duration.js';

/** A duration flag (`90s`, `10m`, bare seconds) parsed to milliseconds by the one parser. */
export function durationFlag(options: {
  summary: string;
  env: string;
  bounds?: DurationBounds;
  helpGroup?: string;
  hidden?: boolean;
  /** The value's name in help. @default 'DURATION' */
  helpValue?: string;
}) {
  return Flags.custom<number>({
    summary: options.summary,
    env: options.env,
    helpGroup: options.helpGroup,
    hidden: options.hidden,
    helpValue: options.helpValue ?? 'DURATION',
    parse: async (input, _ctx, opts) => parseDuration(input, opts.name, options.bounds),
  })();
}

/**
 * Flags every command takes. Each can also come from the environment. A flag with a short form
 * comes first: oclif trims the start of a help section, so a first row without one (`    --x`)
 * would lose its indentation and stand out of line with the rest of the GLOBAL FLAGS block.
 */
export const globalFlags = {
  output: Flags.option({
    summary: 'output format: text (live progress or plain lines), json (one document), ndjson (every event)',
    options: ['text', 'json', 'ndjson'] as const,
    char: 'o',
    env: 'FS_OUTPUT',
    helpGroup: 'GLOBAL',
  })(),
  json: Flags.boolean({
    summary: 'print one JSON document (the result or the error) on stdout; same as --output json',
    env: 'FS_JSON',
    helpGroup: 'GLOBAL',
  }),
  verbose: Flags.boolean({
    summary: 'print every state the engine observes',
    char: 'v',
    env: 'FS_VERBOSE',
    helpGroup: 'GLOBAL',
  }),
  quiet: Flags.boolean({
    summary: 'print only the final summary and errors',
    char: 'q',
    env: 'FS_QUIET',
    helpGroup: 'GLOBAL',
  }),
  color: Flags.boolean({
    summary: 'colour the output (--no-color or NO_COLOR turn it off)',
    allowNo: true,
    env: 'FS_COLOR',
    helpGroup: 'GLOBAL',
  }),
  endpoint: Flags.string({
    summary:
      'fleet API endpoint (alias --fleetctl-endpoint): unix:///path, unix:/path, http+unix://%2Fpath, http://host:port, https://…',
    aliases: ['fleetctl-endpoint'],
    env: 'FLEETCTL_ENDPOINT',
    default: 'unix:///var/run/fleet.sock',
    helpGroup: 'GLOBAL',
  }),
  'ca-file': Flags.string({
    summary: 'CA certificate (PEM) for an https endpoint',
    env: 'FLEETCTL_CA_FILE',
    helpGroup: 'GLOBAL',
  }),
  'cert-file': Flags.string({
    summary: 'client certificate (PEM) for an https endpoint',
    env: 'FLEETCTL_CERT_FILE',
    helpGroup: 'GLOBAL',
  }),
  'key-file': Flags.string({
    summary: 'client private key (PEM) for an https endpoint',
    env: 'FLEETCTL_KEY_FILE',
    helpGroup: 'GLOBAL',
  }),
  'request-timeout': durationFlag({
    summary: 'time allowed for one API request (e.g. 5s) [default: 5s]',
    env: 'FS_REQUEST_TIMEOUT',
    bounds: { minMs: 10, maxMs: 600_000 },
    helpGroup: 'GLOBAL',
  }),
  timeout: Flags.custom<number>({
    summary: 'per-state timeout in SECONDS, for every state (old fs compatibility; units like 10m work too)',
    env: 'FS_TIMEOUT',
    helpValue: 'SECONDS',
    helpGroup: 'GLOBAL',
    parse: async (input) => parseDuration(input, 'timeout', { minMs: 1, maxMs: 86_400_000 }),
  })(),
  ...connectionFlags,
};
