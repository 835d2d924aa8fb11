import type { LockOptions, RolloutSpec, SpecProblem, Timeouts } from '@fleet-service/rollout';
import { formatDuration } from '../flags/duration.js';
import { UsageError } from '../usage-error.js';

/**
 * Runs the engine's pure spec validation and turns its problems into one bad-input error
 * listing all of them (exit 2), before anything talks to fleet.
 */
export async function checkSpec(spec: RolloutSpec): Promise<void> {
  const { validateSpec } = await import('@fleet-service/rollout');
  const problems = validateSpec(spec);
  if (problems.length > 0) throw specProblemsError(spec.service, problems);
}

/**
 * One bad-input error (exit 2) for the engine's spec problems, in the user's words: each line names
 * the flag (`--healthy-timeout`), never the spec field (`timeouts.healthy`), with durations as typed.
 * Also for problems found after observing (e.g. `outageProblems` with the service's current count).
 */
export function specProblemsError(service: string, problems: readonly SpecProblem[]): UsageError {
  const unsupported = problems.every((p) => p.kind === 'unsupported');
  const lines = problems.map((p) => `\n${describeProblem(p)}`).join('');
  return new UsageError(
    `${unsupported ? 'unsupported unit file' : 'invalid rollout settings'} for ${service} (${problems.length} problem${
      problems.length === 1 ? '' : 's'
    }):${lines}`,
    { code: unsupported ? 'ERR_ROLLOUT_UNSUPPORTED' : 'ERR_ROLLOUT_INVALID_SPEC' },
  );
}

/** Every field a RolloutSpec problem can name: top-level fields, and the parts of timeouts and lock. */
export type SpecField =
  | Exclude<keyof RolloutSpec, 'timeouts' | 'lock'>
  | `timeouts.${keyof Timeouts}`
  | `lock.${keyof LockOptions}`;

/** What the user calls each spec field: its flag, or words for what no flag sets. */
export const FIELD_TO_FLAG: Readonly<Record<SpecField, string>> = Object.freeze({
  service: 'SERVICE',
  unitFile: 'UNIT_FILE',
  count: '--count',
  maxUnavailable: '--max-unavailable',
  allowOutage: '--allow-outage',
  maxSurge: '--max-surge',
  machineAware: '--machine-aware',
  replaceMode: '--replace-mode',
  minHealthyMs: '--min-healthy',
  'timeouts.stop': '--stop-timeout',
  'timeouts.gone': '--gone-timeout',
  'timeouts.launched': '--launched-timeout',
  'timeouts.healthy': '--healthy-timeout',
  progressDeadlineMs: '--progress-deadline',
  pollIntervalMs: '--poll-interval',
  onFailure: '--on-failure',
  force: '--force',
  maxParallel: '--max-parallel',
  healthChecks: 'health check (--health-url, --health-tcp)',
  canary: '--canary',
  canaryAutoPromoteMs: '--canary-auto-promote',
  batchDelayMs: '--batch-delay',
  maxFailures: '--max-failures',
  hooks: '--pre-stop / --post-start',
  perMachine: '--per-machine',
  'lock.owner': 'the lock owner (user@host)',
  'lock.ttlMs': 'the lock TTL',
  'lock.steal': '--steal-lock',
  'lock.settleMs': '--lock-settle',
  'lock.isHolderAlive': 'the lock holder check',
});

/** Health-check parts by flag: a URL is --health-url's, a host or port --health-tcp's. */
const HEALTH_CHECK_PART: Readonly<Record<string, string>> = {
  url: '--health-url',
  expectStatus: '--health-url',
  host: '--health-tcp',
  port: '--health-tcp',
};

/** Names a spec field (`timeouts.healthy`, `unitFile[2]`, `healthChecks[0].url`) the way the user typed it. */
export function flagName(field: string): string {
  if (Object.hasOwn(FIELD_TO_FLAG, field)) return FIELD_TO_FLAG[field as SpecField];
  if (/^unitFile\[\d+\]$/.test(field)) return FIELD_TO_FLAG.unitFile;
  const check = /^healthChecks\[\d+\]\.(\w+)$/.exec(field);
  if (check) return HEALTH_CHECK_PART[check[1]!] ?? FIELD_TO_FLAG.healthChecks;
  if (field === 'hooks.timeoutMs') return '--hook-timeout';
  if (field === 'hooks.preStop') return '--pre-stop';
  if (field === 'hooks.postStart') return '--post-start';
  return field;
}

/**
 * Fields named inside messages that are rewritten to flags: the camelCase and dotted ones, and
 * `count`. Plain words that are also fields (service, force) are left alone in prose.
 */
const NAMES_IN_TEXT = (Object.keys(FIELD_TO_FLAG) as SpecField[])
  .filter((f) => /[A-Z.]/.test(f) || f === 'count')
  .sort((a, b) => b.length - a.length);
const NAME_PATTERN = new RegExp(
  `(?<![\\w.-])(${NAMES_IN_TEXT.map((n) => n.replace('.', '\\.')).join('|')})(?![\\w])`,
  'g',
);

/** The problem's text in the user's words: `--flag: message`, fields as flags, `N ms` as a duration. */
export function describeProblem(problem: SpecProblem): string {
  const message = problem.message
    .replace(NAME_PATTERN, (name) => FIELD_TO_FLAG[name as SpecField])
    .replace(/\b(\d+(?:\.\d+)?) ms\b/g, (_all, ms: string) => formatDuration(Number(ms)));
  return `${flagName(problem.field)}: ${message}`;
}
