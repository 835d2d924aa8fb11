/** Post to a Slack incoming webhook with @slack/webhook: one attempt (deliver.ts retries), abortable. */
import {
  type FetchFunction,
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
} from '@slack/webhook';
import { NOTIFY_ERROR_CODES, NotifyDeliveryError, redactedCause, redactText } from '../errors.js';
import type { RolloutNotice } from '../notice/notice.js';
import { redactTarget, secretsOf } from '../targets/redact.js';
import type { SlackTarget } from '../targets/target.js';
import { slackMessage } from './slack-message.js';

export function slackSender(
  target: SlackTarget,
  notice: RolloutNotice,
): (signal: AbortSignal) => Promise<void> {
  const message = slackMessage(notice);
  const shown = redactTarget(target);
  const secrets = secretsOf(target);
  return async (signal) => {
    // the library's own timeout and retries are off: deliver.ts owns both, on the injected clock
    const fetchWithSignal: FetchFunction = (url, init) =>
      fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    const hook = new IncomingWebhook(target.url, {
      timeout: 0,
      retryConfig: { retries: 0 },
      fetch: fetchWithSignal,
    });
    try {
      await hook.send(message);
    } catch (error) {
      const cause = redactedCause(error, secrets);
      if (error instanceof IncomingWebhookHTTPError) {
        const status = error.statusCode;
        throw new NotifyDeliveryError(shown, NOTIFY_ERROR_CODES.http, `HTTP ${status}`, {
          status,
          retryable: status >= 500 || status === 408 || status === 429,
          cause,
        });
      }
      const original = error instanceof IncomingWebhookRequestError ? error.original : (error as Error);
      const reason = (original?.cause as Error | undefined)?.message ?? original?.message ?? String(error);
      throw new NotifyDeliveryError(shown, NOTIFY_ERROR_CODES.network, redactText(reason, secrets), {
        retryable: true,
        cause,
      });
    }
  };
}
