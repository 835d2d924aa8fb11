/**
 * beanstalkd job bodies as Go templates, the form SymfoniNext's deployer used (`text/template`
 * over its Payload: `{{.Artifact}}`, `{{.ServiceName}}`), rendered by @ctrl/golang-template, a
 * maintained TypeScript implementation of Go's template syntax (fields, nested fields, if/else,
 * and/or/not, with, range, index). Not supported there: pipelines and functions such as `printf`
 * or `eq`, `{{- trim markers -}}` and comments — such a template is refused at start.
 */
import { compile, type Template } from '@ctrl/golang-template';
import type { RolloutNotice } from '../notice/notice.js';

/** The fields a template can use, with what each holds. */
export const TEMPLATE_FIELDS = Object.freeze({
  Artifact: 'what was deployed: the container image (me/blog:v1.12) when the unit runs one, else the version',
  ServiceName: 'the service (web)',
  Outcome: 'the event: started, succeeded, unchanged, failed, rolled-back or paused',
  Version: 'VERSION= from the unit, else the image tag, else the contents hash',
  Duration: 'how long the rollout took, e.g. 1m23s (empty for started)',
  Hash: 'the contents hash',
  Action: 'create, rollback, destroy, apply, …',
  User: 'who ran it',
  Host: 'where it ran',
  RolloutID: 'the rollout id of its events',
  Error: 'what ended a failed rollout (empty otherwise)',
  FailedUnit: 'the instance that failed (empty otherwise)',
} as const);

export type TemplateField = keyof typeof TEMPLATE_FIELDS;

/** Compiles a template; returns the problem (syntax, unknown field) instead of throwing. */
export function compileJobTemplate(text: string): Template | string {
  for (const m of text.matchAll(/\{\{(.*?)\}\}/gs)) {
    for (const field of (m[1] ?? '').matchAll(/(?:^|[\s(])\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = field[1] ?? '';
      if (!(name in TEMPLATE_FIELDS)) {
        return `unknown template field .${name} (known: ${Object.keys(TEMPLATE_FIELDS)
          .map((f) => `.${f}`)
          .join(' ')})`;
      }
    }
  }
  try {
    const template = compile(text);
    template.render(templateData(SAMPLE));
    return template;
  } catch (error) {
    return `template does not parse: ${(error as Error).message}`;
  }
}

/** The values a template sees for a notice. */
export function templateData(notice: RolloutNotice): Record<TemplateField, string> {
  return {
    Artifact: notice.image ?? notice.version,
    ServiceName: notice.service,
    Outcome: notice.event,
    Version: notice.version,
    Duration: notice.durationMs === undefined ? '' : goDuration(notice.durationMs),
    Hash: notice.hash,
    Action: notice.action,
    User: notice.user ?? '',
    Host: notice.host ?? '',
    RolloutID: notice.rolloutId ?? '',
    Error: notice.error?.message ?? '',
    FailedUnit: notice.failure?.unit ?? '',
  };
}

/**
 * A duration as Go's `time.Duration` prints it, to the second above one minute (`1h2m3s`, `2m5s`,
 * `4.2s`, `350ms`), so templates written for Go tools read the same.
 */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}h` : ''}${m}m${s}s`;
}

const SAMPLE: RolloutNotice = {
  event: 'succeeded',
  action: 'create',
  service: 'web',
  version: 'v1',
  hash: 'f'.repeat(40),
  replaced: 0,
  added: 0,
  removed: 0,
};
