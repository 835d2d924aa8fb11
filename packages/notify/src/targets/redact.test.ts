import { describe, expect, it } from 'vitest';
import { redactText } from '../errors.js';
import { parseTarget } from './parse-target.js';
import { redactTarget, redactUrl, secretsOf } from './redact.js';

describe('redaction', () => {
  it('a URL keeps scheme, host and port only', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/XYZ')).toBe('https://hooks.slack.com/***');
    expect(redactUrl('https://user:pw@ci.example:8443/?t=1')).toBe('https://ci.example:8443/***');
    expect(redactUrl('https://ci.example/')).toBe('https://ci.example/');
    expect(redactUrl('not a url')).toBe('***');
  });

  it('targets', () => {
    expect(redactTarget(parseTarget('webhook:https://ci.example/h?secret=s3cret-key'))).toBe(
      'webhook:https://ci.example/***',
    );
    expect(redactTarget(parseTarget('beanstalkd:[::1]:11300/jobs'))).toBe('beanstalkd:[::1]:11300/jobs');
  });

  it('scrubs every secret of a target from a text', () => {
    const target = parseTarget('webhook:https://ci.example/hooks/0123456789abcdef?x=1&secret=s3cret-key');
    const text =
      'GET https://ci.example/hooks/0123456789abcdef?x=1 failed; key s3cret-key; token 0123456789abcdef';
    const clean = redactText(text, secretsOf(target));
    expect(clean).not.toMatch(/0123456789abcdef|s3cret-key/);
    expect(clean).toBe('GET *** failed; key ***; token ***');
  });
});
