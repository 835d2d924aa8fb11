import { UsageError } from '../usage-error.js';

/** `--listen`: `unix:PATH` or `HOST:PORT` (`:PORT` and `PORT` mean 127.0.0.1). Pure. */
export function parseListen(text: string): { host: string; port: number } | { socketPath: string } {
  if (text.startsWith('unix:')) {
    const socketPath = text.slice('unix:'.length).replace(/^\/\/(?=\/)/, '');
    if (!socketPath)
      throw new UsageError(`--listen: "${text}" has no socket path`, {
        hint: 'e.g. --listen unix:/tmp/fleet.sock',
      });
    return { socketPath };
  }
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65_535) {
    throw new UsageError(`--listen: "${text}" is neither unix:PATH nor HOST:PORT`, {
      hint: 'e.g. --listen 127.0.0.1:49153 or --listen unix:/tmp/fleet.sock',
    });
  }
  return { host: m[1] || '127.0.0.1', port };
}

/** A start-failure fault for the simulator, from `--fail-when`. */
export interface FailWhenFault {
  kind: 'unit-start-fails';
  match: { name?: string; option?: { section?: string; name: string; value: string } };
}

/** Which units a simulator fault applies to (fleet-sim's `UnitMatch`). */
export type UnitMatchSpec = FailWhenFault['match'];

/**
 * A unit PATTERN of `--fail-when` and `--slow-start`, with `flag` named in errors:
 *   `web@2.service`, `web@*`         — a unit-name glob
 *   `Environment=VERSION=bad`        — an option NAME=VALUE-GLOB (first `=` splits)
 *   `Service.ExecStart=/bin/false*`  — with a section
 * Pure.
 */
export function parseUnitMatch(text: string, flag: string): UnitMatchSpec {
  const eq = text.indexOf('=');
  if (eq < 0) {
    if (!text.trim()) throw new UsageError(`--${flag}: empty pattern`);
    return { name: text.trim() };
  }
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1);
  const dot = key.indexOf('.');
  const section = dot > 0 ? key.slice(0, dot) : undefined;
  const name = dot > 0 ? key.slice(dot + 1) : key;
  if (!/^[A-Za-z][\w-]*$/.test(name) || (section !== undefined && !/^[A-Za-z][\w-]*$/.test(section))) {
    throw new UsageError(`--${flag}: "${text}" is neither a unit-name glob nor [Section.]Option=VALUE`, {
      hint: `e.g. --${flag} Environment=VERSION=bad or --${flag} "web@2.service"`,
    });
  }
  return { option: { ...(section ? { section } : {}), name, value } };
}

/** `--fail-when PATTERN`: units matching PATTERN (see {@link parseUnitMatch}) fail to start. Pure. */
export function parseFailWhen(text: string): FailWhenFault {
  return { kind: 'unit-start-fails', match: parseUnitMatch(text, 'fail-when') };
}

/** The `export` line a shell can paste, quoting the endpoint if it needs it. */
export function exportLine(endpoint: string): string {
  return /^[\w@%+=:,./-]+$/.test(endpoint)
    ? `export FLEETCTL_ENDPOINT=${endpoint}`
    : `export FLEETCTL_ENDPOINT='${endpoint.replaceAll("'", `'\\''`)}'`;
}
