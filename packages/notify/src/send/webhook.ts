/** POST the JSON document with got: one attempt (deliver.ts retries), signed when there is a secret. */
import { randomUUID } from 'node:crypto';
import got, { HTTPError, RequestError } from 'got';
import { NOTIFY_ERROR_CODES, NotifyDeliveryError, redactedCause, redactText } from '../errors.js';
import type { RolloutNotice } from '../notice/notice.js';
import { redactTarget, secretsOf } from '../targets/redact.js';
import type { WebhookTarget } from '../targets/target.js';
import { SIGNATURE_HEADER, signBody } from './signature.js';
import { webhookDocument } from './webhook-body.js';

/** Prepares the request once (the same body, signature and delivery id on every attempt). */
export function webhookSender(
  target: WebhookTarget,
  notice: RolloutNotice,
): (signal: AbortSignal) => Promise<void> {
  const body = JSON.stringify(webhookDocument(notice));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'fs-notify',
    'x-fs-event': notice.event,
    'x-fs-delivery': randomUUID(),
    ...(target.secret ? { [SIGNATURE_HEADER]: signBody(body, target.secret) } : {}),
  };
  const shown = redactTarget(target);
  const secrets = secretsOf(target);
  return async (signal) => {
    let status: number;
    try {
      ({ statusCode: status } = await got.post(target.url, {
        body,
        headers,
        signal,
        retry: { limit: 0 },
        followRedirect: false, // a redirect would resend the body elsewhere: it is refused instead
      }));
    } catch (error) {
      throw httpFailure(shown, error, secrets);
    }
    if (status >= 300) {
      throw new NotifyDeliveryError(
        shown,
        NOTIFY_ERROR_CODES.http,
        `HTTP ${status} (redirects are not followed)`,
        {
          status,
          retryable: false,
        },
      );
    }
  };
}

/** A got error as a delivery error: 5xx, 408, 429 and network errors may be retried. */
export function httpFailure(shown: string, error: unknown, secrets: readonly string[]): NotifyDeliveryError {
  const cause = redactedCause(error, secrets);
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    return new NotifyDeliveryError(shown, NOTIFY_ERROR_CODES.http, `HTTP ${status}`, {
      status,
      retryable: status >= 500 || status === 408 || status === 429,
      cause,
    });
  }
  const code = error instanceof RequestError ? error.code : undefined;
  return new NotifyDeliveryError(
    shown,
    NOTIFY_ERROR_CODES.network,
    redactText(String((error as Error)?.message ?? code ?? error), secrets),
    { retryable: true, cause },
  );
}
