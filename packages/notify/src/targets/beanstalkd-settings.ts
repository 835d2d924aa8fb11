/** The checks a beanstalkd target's settings get, whichever form they came in. */
import { NotifyTargetError } from '../errors.js';
import { compileJobTemplate } from './job-template.js';
import { BEANSTALKD_DEFAULTS, type BeanstalkdTarget } from './target.js';

/** Settings as written (strings from a URL or NOTIFY_FLAGS, numbers from JSON). */
export interface BeanstalkdSettingsInput {
  host: string;
  port?: string | number;
  tube: string;
  /** base64 (standard alphabet, padded), as SymfoniNext's NOTIFY_FLAGS has it. */
  template?: string;
  priority?: string | number;
  ttr?: string | number;
  delay?: string | number;
}

/** beanstalkd's tube names: 1–200 bytes of letters, digits and `-+/;.$_()`, not starting with `-`. */
const TUBE = /^[A-Za-z0-9+/;.$_()][A-Za-z0-9\-+/;.$_()]{0,199}$/;

export function checkBeanstalkd(shown: string, input: BeanstalkdSettingsInput): BeanstalkdTarget {
  const fail = (problem: string): never => {
    throw new NotifyTargetError(shown, problem);
  };
  if (!input.host) fail('no host');
  if (!TUBE.test(input.tube))
    fail(
      `bad tube name ${JSON.stringify(input.tube)} (1–200 of A-Z a-z 0-9 - + / ; . $ _ ( ), not starting with -)`,
    );
  const port = integer(input.port, BEANSTALKD_DEFAULTS.port, 1, 65_535, 'port', fail);
  const target: BeanstalkdTarget = {
    kind: 'beanstalkd',
    host: input.host,
    port,
    tube: input.tube,
    priority: integer(input.priority, BEANSTALKD_DEFAULTS.priority, 0, 2 ** 32 - 1, 'priority', fail),
    ttrSeconds: integer(input.ttr, BEANSTALKD_DEFAULTS.ttrSeconds, 1, 2 ** 32 - 1, 'ttr', fail),
    delaySeconds: integer(input.delay, BEANSTALKD_DEFAULTS.delaySeconds, 0, 2 ** 32 - 1, 'delay', fail),
  };
  if (input.template !== undefined && input.template !== '') {
    const text = decodeBase64(input.template);
    if (text === undefined) fail('template is not valid base64 (standard alphabet, with = padding)');
    const compiled = compileJobTemplate(text as string);
    if (typeof compiled === 'string') fail(compiled);
    target.template = text as string;
  }
  return target;
}

/**
 * Decodes base64 as Go's `base64.StdEncoding.DecodeString` accepts it: the standard alphabet,
 * `=` padding required, CR and LF ignored; anything else is refused. Undefined when invalid.
 */
export function decodeBase64(text: string): string | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  const bytes = Buffer.from(clean, 'base64');
  if (bytes.toString('base64') !== clean) return undefined; // non-canonical trailing bits
  return bytes.toString('utf8');
}

function integer(
  value: string | number | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
  fail: (problem: string) => never,
): number {
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    return fail(`${name} must be an integer ${min}–${max}, got ${JSON.stringify(value)}`);
  return n;
}
