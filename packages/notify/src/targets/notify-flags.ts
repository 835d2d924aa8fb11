/**
 * SymfoniNext deployer's NOTIFY_FLAGS, as its README and main.go define it: a JSON object of
 * strings `{"addr": "HOST:PORT", "tube": "TUBE", "template": "BASE64"}`; the template is a Go
 * template over `{{.Artifact}}` and `{{.ServiceName}}`; jobs go in with priority 10, TTR 60 s and
 * no delay. fs reads it as written, and also takes `"priority"`, `"ttr"` and `"delay"` (seconds)
 * keys. An absent or empty template makes the job body fs's JSON document (SymfoniNext sent
 * nothing then).
 */
import { NotifyTargetError } from '../errors.js';
import { checkBeanstalkd } from './beanstalkd-settings.js';
import type { BeanstalkdTarget } from './target.js';

export function parseNotifyFlags(json: string, shown = 'NOTIFY_FLAGS'): BeanstalkdTarget {
  const fail = (problem: string): never => {
    throw new NotifyTargetError(shown, problem);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return fail('expected a JSON object {"addr","tube","template"}');
  const fields = doc as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    const numeric = ['priority', 'ttr', 'delay'].includes(key) && typeof value === 'number';
    if (typeof value !== 'string' && !numeric) fail(`"${key}" must be a string`);
  }
  const addr = typeof fields.addr === 'string' ? fields.addr : '';
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+)$/.exec(addr);
  if (!m) return fail(`"addr" must be HOST:PORT, got ${JSON.stringify(addr)}`);
  const tube = typeof fields.tube === 'string' ? fields.tube : '';
  if (!tube) fail('"tube" is missing');
  const pick = (key: string) => fields[key] as string | number | undefined;
  return checkBeanstalkd(shown, {
    host: m[1] ?? m[2] ?? '',
    port: m[3] ?? '',
    tube,
    ...(fields.template !== undefined ? { template: fields.template as string } : {}),
    ...(pick('priority') !== undefined ? { priority: pick('priority') } : {}),
    ...(pick('ttr') !== undefined ? { ttr: pick('ttr') } : {}),
    ...(pick('delay') !== undefined ? { delay: pick('delay') } : {}),
  });
}
