/**
 * Targets as they may be shown: in events, warnings, errors and logs. A URL keeps its scheme, host
 * and port; its path, query and user info (where Slack's and most webhooks' tokens live) become
 * `***`. beanstalkd targets hold no secret and show as `beanstalkd:HOST:PORT/TUBE`.
 */
import type { NotifyTarget } from './target.js';

export function redactTarget(target: NotifyTarget): string {
  if (target.kind === 'beanstalkd') return `beanstalkd:${hostPort(target.host, target.port)}/${target.tube}`;
  return `${target.kind}:${redactUrl(target.url)}`;
}

/** `https://hooks.slack.com/services/T0/B0/XYZ?x=1` → `https://hooks.slack.com/***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const hidden = u.pathname.length > 1 || u.search !== '' || u.username !== '' || u.password !== '';
    return `${u.protocol}//${u.host}${hidden ? '/***' : '/'}`;
  } catch {
    return '***';
  }
}

/** The secrets of a target, to scrub from any text that may quote them. */
export function secretsOf(target: NotifyTarget): string[] {
  if (target.kind === 'beanstalkd') return [];
  const out = [target.url];
  if (target.kind === 'webhook' && target.secret) out.push(target.secret);
  try {
    const u = new URL(target.url);
    out.push(`${u.pathname}${u.search}`, u.pathname, u.search, u.password, u.username);
    out.push(...u.pathname.split('/').filter((part) => part.length >= 8));
  } catch {
    // not a URL: the whole string is already listed
  }
  return out.filter((s) => s.length > 1 && s !== '/');
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
