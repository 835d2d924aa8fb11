/**
 * Credentials from an environment (given by the caller: a library never reads process.env) and
 * the files it names. Tokens: `FS_SERVE_TOKEN`, `FS_SERVE_TOKEN_FILE` (one token a line), and
 * SymfoniNext's `TOKEN`. Basic auth: `FS_SERVE_USERNAME` or `FS_SERVE_USER` (default `fs`) with `FS_SERVE_PASSWORD` or
 * `FS_SERVE_PASSWORD_FILE`. There is no default credential.
 */
import { readFileSync } from 'node:fs';
import { ServeConfigError } from '../errors.js';

export interface Credentials {
  /** Accepted as `Authorization: Bearer T`, as a bare `Authorization: T` (SymfoniNext), or `?token=T` on webhooks. */
  tokens: string[];
  /** Accepted as `Authorization: Basic …`. */
  users: { user: string; password: string }[];
}

export type Env = Readonly<Record<string, string | undefined>>;

const readSecret = (file: string, variable: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ServeConfigError(`${variable}: cannot read ${file} (${(error as Error).message})`, {
      cause: error,
    });
  }
};

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));

export function credentialsFrom(env: Env): Credentials {
  const tokens: string[] = [];
  for (const name of ['FS_SERVE_TOKEN', 'TOKEN'] as const) {
    const value = env[name]?.trim();
    if (value) tokens.push(value);
  }
  if (env.FS_SERVE_TOKEN_FILE)
    tokens.push(...lines(readSecret(env.FS_SERVE_TOKEN_FILE, 'FS_SERVE_TOKEN_FILE')));
  const users: Credentials['users'] = [];
  const password = env.FS_SERVE_PASSWORD_FILE
    ? lines(readSecret(env.FS_SERVE_PASSWORD_FILE, 'FS_SERVE_PASSWORD_FILE'))[0]
    : env.FS_SERVE_PASSWORD;
  // FS_SERVE_USERNAME: deployster's -username (its users' curl lines say `-u deployster:…`)
  if (password) users.push({ user: env.FS_SERVE_USERNAME || env.FS_SERVE_USER || 'fs', password });
  return { tokens: [...new Set(tokens)], users };
}

export function hasCredentials(c: Credentials | undefined): boolean {
  return !!c && (c.tokens.length > 0 || c.users.length > 0);
}
