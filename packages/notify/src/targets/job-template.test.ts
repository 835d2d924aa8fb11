import { describe, expect, it } from 'vitest';
import type { RolloutNotice } from '../notice/notice.js';
import { decodeBase64 } from './beanstalkd-settings.js';
import { compileJobTemplate, goDuration, templateData } from './job-template.js';

const notice: RolloutNotice = {
  event: 'failed',
  action: 'create',
  service: 'blog',
  outcome: 'aborted',
  version: 'v2',
  image: 'me/blog:v2',
  hash: 'abc',
  replaced: 1,
  added: 0,
  removed: 0,
  durationMs: 3_723_000,
  failure: { unit: 'blog@2.service' },
  error: { name: 'InstanceFailedError', message: 'blog@2.service failed' },
};

function render(text: string, n: RolloutNotice = notice): string {
  const t = compileJobTemplate(text);
  if (typeof t === 'string') throw new Error(t);
  return t.render(templateData(n));
}

describe('job templates (Go template syntax)', () => {
  it("SymfoniNext's fields and fs's own", () => {
    expect(render('{"msg": "Deployed {{.ServiceName}} as {{.Artifact}}"}')).toBe(
      '{"msg": "Deployed blog as me/blog:v2"}',
    );
    expect(render('{{.Outcome}} {{.Version}} {{.Duration}} {{.FailedUnit}}: {{.Error}}')).toBe(
      'failed v2 1h2m3s blog@2.service: blog@2.service failed',
    );
    expect(render('{{.Artifact}}', { ...notice, image: undefined } as unknown as RolloutNotice)).toBe('v2');
  });

  it('if / else over the fields', () => {
    expect(render('{{if .Error}}FAILED {{.ServiceName}}{{else}}ok{{end}}')).toBe('FAILED blog');
    expect(
      render('{{ if .Error }}x{{ else }}ok{{ end }}', {
        ...notice,
        error: undefined,
      } as unknown as RolloutNotice),
    ).toBe('ok');
  });

  it('unknown fields and syntax errors are found at start', () => {
    expect(compileJobTemplate('{{.Image}}')).toMatch(/unknown template field \.Image/);
    expect(compileJobTemplate('{{.Artifact')).toMatch(/does not parse/);
  });
});

describe('goDuration', () => {
  it.each([
    [350, '350ms'],
    [4_200, '4.2s'],
    [59_000, '59s'],
    [83_400, '1m23s'],
    [3_723_000, '1h2m3s'],
  ])('%d ms → %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});

describe('decodeBase64 (as Go base64.StdEncoding)', () => {
  it('accepts padded standard base64, ignoring CR/LF', () => {
    expect(decodeBase64('aGk=')).toBe('hi');
    expect(decodeBase64('aG\nk=')).toBe('hi');
  });
  it.each(['aGk', 'aGk=\t', 'a-_=', '%%%', 'aGl='])('refuses %j', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });
});
