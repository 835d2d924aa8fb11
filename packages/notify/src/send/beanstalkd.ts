/**
 * Put one job into a beanstalkd tube with jackd (a typed, dependency-free beanstalkd client): connect,
 * `use TUBE`, `put PRIORITY DELAY TTR`, quit. The body is the target's template rendered over the
 * notice, or the webhook's JSON document when it has none.
 */
import jackdModule, { type JackdClient } from 'jackd';
import { NOTIFY_ERROR_CODES, NotifyDeliveryError, redactedCause } from '../errors.js';
import type { RolloutNotice } from '../notice/notice.js';
import { compileJobTemplate, templateData } from '../targets/job-template.js';
import { redactTarget } from '../targets/redact.js';
import type { BeanstalkdTarget } from '../targets/target.js';
import { webhookDocument } from './webhook-body.js';

/**
 * jackd 2 sets `module.exports = JackdClient` while its types declare named and default exports:
 * at run time the default import IS the class (and the named export is undefined).
 */
const Jackd = jackdModule as unknown as typeof JackdClient;

/** The job body for a notice. */
export function jobBody(target: BeanstalkdTarget, notice: RolloutNotice): string {
  if (target.template === undefined) return JSON.stringify(webhookDocument(notice));
  const template = compileJobTemplate(target.template);
  if (typeof template === 'string') throw new Error(template); // parseTarget checked it already
  return template.render(templateData(notice));
}

export function beanstalkdSender(
  target: BeanstalkdTarget,
  notice: RolloutNotice,
): (signal: AbortSignal) => Promise<void> {
  const body = jobBody(target, notice);
  const shown = redactTarget(target);
  return async (signal) => {
    if (body.length === 0) return; // as SymfoniNext: an empty body is no job
    const client = new Jackd();
    client.socket.on('error', () => {}); // reported through the command that was waiting
    const onAbort = () => client.socket.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    let connected = false;
    try {
      await client.connect({ host: target.host, port: target.port });
      connected = true;
      if (target.tube !== 'default') await client.use(target.tube);
      await client.put(body, {
        priority: target.priority,
        delay: target.delaySeconds,
        ttr: target.ttrSeconds,
      });
      await client.quit();
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      throw new NotifyDeliveryError(
        shown,
        NOTIFY_ERROR_CODES.beanstalkd,
        connected ? message : `cannot connect: ${message}`,
        {
          retryable: !connected || /DRAINING|ECONNRESET|EPIPE/.test(message),
          cause: redactedCause(error, []),
        },
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.socket.destroy();
    }
  };
}
