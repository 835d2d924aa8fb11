/**
 * `X-Fs-Signature: sha256=HEX`: the HMAC-SHA256 of the exact body bytes under the shared secret,
 * GitHub's scheme. A receiver recomputes it over the raw body and compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-fs-signature';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `signature` (the header's value) is the body's under `secret`; for receivers and tests. */
export function verifySignature(
  body: string | Buffer,
  secret: string,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
