import { describe, expect, it } from 'vitest';
import { NotifyTargetError } from '../errors.js';
import { parseNotifyFlags } from './notify-flags.js';
import { parseTarget } from './parse-target.js';
import { redactTarget } from './redact.js';

/** The problem a bad target is refused with (and the proof it is a NotifyTargetError). */
function refusal(text: string): string {
  try {
    parseTarget(text);
  } catch (error) {
    expect(error).toBeInstanceOf(NotifyTargetError);
    expect((error as NotifyTargetError).code).toBe('ERR_NOTIFY_BAD_TARGET');
    return (error as Error).message;
  }
  throw new Error(`${text} was accepted`);
}

describe('parseTarget', () => {
  it('slack:URL and webhook:URL', () => {
    expect(parseTarget('slack:https://hooks.slack.com/services/T0/B0/X')).toEqual({
      kind: 'slack',
      url: 'https://hooks.slack.com/services/T0/B0/X',
    });
    expect(parseTarget('webhook:https://ci.example/hook?a=1')).toEqual({
      kind: 'webhook',
      url: 'https://ci.example/hook?a=1',
    });
  });

  it('webhook ?secret= is taken out of the URL; else the given FS_WEBHOOK_SECRET', () => {
    expect(parseTarget('webhook:https://ci.example/hook?a=1&secret=k3y')).toEqual({
      kind: 'webhook',
      url: 'https://ci.example/hook?a=1',
      secret: 'k3y',
    });
    expect(parseTarget('webhook:https://ci.example/hook', { webhookSecret: 'env' })).toMatchObject({
      secret: 'env',
    });
    expect(parseTarget('webhook:https://ci.example/hook?secret=url', { webhookSecret: 'env' })).toMatchObject(
      {
        secret: 'url',
      },
    );
  });

  it('beanstalkd:HOST:PORT/TUBE with its defaults (SymfoniNext: priority 10, TTR 60 s) and parameters', () => {
    expect(parseTarget('beanstalkd:queue.local:11301/deploys')).toEqual({
      kind: 'beanstalkd',
      host: 'queue.local',
      port: 11301,
      tube: 'deploys',
      priority: 10,
      ttrSeconds: 60,
      delaySeconds: 0,
    });
    expect(parseTarget('beanstalkd:queue.local')).toMatchObject({ port: 11300, tube: 'default' });
    expect(parseTarget('beanstalkd:[::1]:11300/t')).toMatchObject({ host: '::1' });
    const template = Buffer.from('{{.Version}} ~>').toString('base64'); // e3suVmVyc2lvbn19IH4+: a '+'
    expect(template).toContain('+');
    expect(parseTarget(`beanstalkd:q:1/t?priority=0&ttr=5&delay=2&template=${template}`)).toMatchObject({
      priority: 0,
      ttrSeconds: 5,
      delaySeconds: 2,
      template: '{{.Version}} ~>',
    });
  });

  it('beanstalkd:{NOTIFY_FLAGS JSON}', () => {
    expect(parseTarget('beanstalkd:{"addr":"beanstalk:11300","tube":"jobs"}')).toMatchObject({
      host: 'beanstalk',
      port: 11300,
      tube: 'jobs',
    });
  });

  it.each([
    ['email:ops@example.com', /bad notify target email:…: unknown scheme/],
    ['https://hooks.slack.com/services/T/B/X', /bad notify target https:…: unknown scheme/],
    ['nothing', /\(no scheme\)/],
    ['slack:', /not a URL/],
    ['slack:ftp://x/y', /unsupported protocol ftp:/],
    ['webhook:https://ci.example/hook?secret=', /empty secret/],
    ['beanstalkd:q:1/-bad', /bad tube name/],
    ['beanstalkd:q:99999/t', /expected beanstalkd:HOST:PORT\/TUBE/],
    ['beanstalkd:{"addr":"q:99999","tube":"t"}', /port must be an integer 1–65535/],
    ['beanstalkd:q:1/t?ttr=0', /ttr must be an integer 1–/],
    ['beanstalkd:q:1/t?priority=-1', /priority must be/],
    ['beanstalkd:q:1/t?template=abc', /not valid base64/],
    ['beanstalkd:q:1/t?colour=red', /unknown parameter colour/],
  ])('%s is refused', (text, problem) => {
    expect(refusal(text)).toMatch(problem);
  });

  it('a refused URL target never quotes its path or query', () => {
    expect(refusal('slack:ftp://hooks.example/services/SECRET')).not.toContain('SECRET');
    expect(refusal('webhook:https://ci.example/SECRET?secret=')).not.toContain('SECRET');
  });
});

describe('parseNotifyFlags (SymfoniNext deployer)', () => {
  it('reads the README example as written: addr, tube, base64 template', () => {
    const target = parseNotifyFlags(
      '{\n  "addr": "beanstalk:11300",\n  "tube": "jobs",\n  "template": "IkkganVzdCBkZXBsb3llZCB7ey5BcnRpZmFjdH19IGZvciB7ey5TZXJ2aWNlTmFtZX19"\n}',
    );
    expect(target).toEqual({
      kind: 'beanstalkd',
      host: 'beanstalk',
      port: 11300,
      tube: 'jobs',
      template: '"I just deployed {{.Artifact}} for {{.ServiceName}}',
      priority: 10,
      ttrSeconds: 60,
      delaySeconds: 0,
    });
    expect(redactTarget(target)).toBe('beanstalkd:beanstalk:11300/jobs');
  });

  it('takes fs extras: priority, ttr, delay (strings or numbers)', () => {
    expect(parseNotifyFlags('{"addr":"q:1","tube":"t","priority":"3","ttr":120}')).toMatchObject({
      priority: 3,
      ttrSeconds: 120,
    });
  });

  it.each([
    ['{"addr": "q:1", "tube": ', /not JSON/],
    ['["q:1"]', /expected a JSON object/],
    ['{"addr":"q","tube":"t"}', /"addr" must be HOST:PORT/],
    ['{"addr":"q:1"}', /"tube" is missing/],
    ['{"addr":"q:1","tube":"t","template":5}', /"template" must be a string/],
    ['{"addr":"q:1","tube":"t","template":"e3suTm9wZX19"}', /unknown template field \.Nope/],
    ['{"addr":"q:1","tube":"t","template":"e3suQXJ0aWZhY3Q="}', /does not parse/], // "{{.Artifact" unclosed
    ['{"addr":"q:1","tube":"t","template":"e3suQXJ0aWZhY3R9fQ"}', /not valid base64/], // no padding: Go refuses it too
  ])('%s is refused', (json, problem) => {
    expect(() => parseNotifyFlags(json)).toThrow(problem);
  });
});
