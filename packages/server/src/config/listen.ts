/** `--listen`: `host:port`, `[v6]:port`, `:port` (all interfaces) or `unix:PATH`. */
import { isIP } from 'node:net';
import { ServeConfigError } from '../errors.js';

export type ListenAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

export const DEFAULT_LISTEN = '127.0.0.1:4500';

export function parseListen(text: string): ListenAddress {
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (!path) throw new ServeConfigError(`listen address "${text}": unix: needs a socket path`);
    return { kind: 'unix', path };
  }
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65_535)
    throw new ServeConfigError(
      `listen address "${text}": expected HOST:PORT (e.g. 127.0.0.1:4500), [::1]:4500, :4500 or unix:/path.sock`,
    );
  return { kind: 'tcp', host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** A listener only this machine can reach: a unix socket or a loopback address. */
export function isLocalOnly(address: ListenAddress): boolean {
  if (address.kind === 'unix') return true;
  const h = address.host;
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}
