/**
 * Authentication: a token (`Authorization: Bearer T`, a bare `Authorization: T` as SymfoniNext
 * sends it, or `?token=T` for webhooks that cannot send headers) or HTTP basic auth. No
 * credential → 401; a wrong one → 403 (SymfoniNext's statuses). Every comparison is constant-time
 * (digests of equal length through crypto.timingSafeEqual), and every configured secret is compared.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../config/credentials.js';

export type AuthVerdict = 'ok' | 'missing' | 'wrong';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function matches(given: string, secrets: readonly Buffer[]): boolean {
  const d = digest(given);
  let ok = false;
  for (const s of secrets) ok = timingSafeEqual(d, s) || ok; // no early exit
  return ok;
}

export function createAuthCheck(
  credentials: Credentials,
): (authorization?: string, token?: string) => AuthVerdict {
  const tokens = credentials.tokens.map(digest);
  const users = credentials.users.map((u) => digest(`${u.user}:${u.password}`));
  return (authorization, token) => {
    if (authorization !== undefined && authorization.trim() !== '') {
      const header = authorization.trim();
      const space = header.indexOf(' ');
      const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
      const value = space > 0 ? header.slice(space + 1).trim() : header;
      if (scheme === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        return users.length > 0 && matches(decoded, users) ? 'ok' : 'wrong';
      }
      const given = scheme === 'bearer' || scheme === 'token' ? value : header;
      return tokens.length > 0 && matches(given, tokens) ? 'ok' : 'wrong';
    }
    if (token !== undefined && token !== '')
      return tokens.length > 0 && matches(token, tokens) ? 'ok' : 'wrong';
    return 'missing';
  };
}
