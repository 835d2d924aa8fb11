/**
 * Target strings, parsed once, up front (a bad one is a usage error before anything runs):
 *
 * - `slack:URL` — a Slack incoming webhook.
 * - `webhook:URL` — a JSON POST; `?secret=KEY` in the URL is taken out of it and used as the HMAC
 *   key (else `options.webhookSecret`).
 * - `beanstalkd:HOST[:PORT][/TUBE][?template=BASE64&priority=N&ttr=SECONDS&delay=SECONDS]`, or
 *   `beanstalkd:{"addr":…,"tube":…,"template":…}`, SymfoniNext's NOTIFY_FLAGS document.
 */
import { NotifyTargetError } from '../errors.js';
import { checkBeanstalkd } from './beanstalkd-settings.js';
import { parseNotifyFlags } from './notify-flags.js';
import { redactUrl } from './redact.js';
import type { NotifyTarget } from './target.js';

export interface ParseTargetOptions {
  /** HMAC key for webhook targets without `?secret=` (the CLI reads FS_WEBHOOK_SECRET). */
  webhookSecret?: string;
}

export const TARGET_SCHEMES = Object.freeze(['slack', 'webhook', 'beanstalkd'] as const);

export function parseTarget(text: string, options: ParseTargetOptions = {}): NotifyTarget {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const rest = colon > 0 ? text.slice(colon + 1).trim() : '';
  switch (scheme) {
    case 'slack':
      return { kind: 'slack', url: httpUrl(rest, 'slack') };
    case 'webhook':
      return webhookTarget(rest, options.webhookSecret);
    case 'beanstalkd':
      return rest.startsWith('{') ? parseNotifyFlags(rest, 'beanstalkd:{…}') : beanstalkdUrl(rest);
    default: {
      const shown = /^[a-z][a-z0-9+.-]*$/i.test(scheme) ? `${scheme}:…` : '(no scheme)';
      throw new NotifyTargetError(
        shown,
        `unknown scheme; a target is ${TARGET_SCHEMES.map((s) => `${s}:…`).join(', ')}`,
      );
    }
  }
}

function httpUrl(text: string, kind: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NotifyTargetError(`${kind}:${redactUrl(text)}`, 'not a URL (expected http://… or https://…)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NotifyTargetError(
      `${kind}:${redactUrl(text)}`,
      `unsupported protocol ${url.protocol} (use http or https)`,
    );
  }
  return url.href;
}

function webhookTarget(text: string, fallbackSecret: string | undefined): NotifyTarget {
  const url = new URL(httpUrl(text, 'webhook'));
  const secret = url.searchParams.get('secret') ?? fallbackSecret;
  url.searchParams.delete('secret');
  if (secret === '') throw new NotifyTargetError(`webhook:${redactUrl(url.href)}`, 'empty secret');
  return { kind: 'webhook', url: url.href, ...(secret ? { secret } : {}) };
}

function beanstalkdUrl(text: string): NotifyTarget {
  const shown = `beanstalkd:${text.split('?')[0]}`;
  let url: URL;
  try {
    url = new URL(`beanstalkd://${text}`);
  } catch {
    throw new NotifyTargetError(shown, 'expected beanstalkd:HOST:PORT/TUBE');
  }
  if (!url.hostname) throw new NotifyTargetError(shown, 'no host (expected beanstalkd:HOST:PORT/TUBE)');
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!['template', 'priority', 'ttr', 'delay'].includes(key)) {
      throw new NotifyTargetError(shown, `unknown parameter ${key} (known: template, priority, ttr, delay)`);
    }
  }
  return checkBeanstalkd(shown, {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port ? { port: url.port } : {}),
    tube: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'default',
    ...(q.has('template') ? { template: (q.get('template') ?? '').replaceAll(' ', '+') } : {}), // a query turns base64's + into a space
    ...(q.has('priority') ? { priority: q.get('priority') ?? '' } : {}),
    ...(q.has('ttr') ? { ttr: q.get('ttr') ?? '' } : {}),
    ...(q.has('delay') ? { delay: q.get('delay') ?? '' } : {}),
  });
}
