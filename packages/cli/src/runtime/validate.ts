import type { RolloutSpec } from '@fleet-service/rollout';
import { UsageError } from '../usage-error.js';

/**
 * Runs the engine's pure spec validation and turns its problems into one bad-input error
 * listing all of them (exit 2), before anything talks to fleet.
 */
export async function checkSpec(spec: RolloutSpec): Promise<void> {
  const { validateSpec } = await import('@fleet-service/rollout');
  const problems = validateSpec(spec);
  if (problems.length === 0) return;
  const unsupported = problems.every((p) => p.kind === 'unsupported');
  const lines = problems.map((p) => `\n${flagName(p.field)}: ${p.message}`).join('');
  throw new UsageError(
    `${unsupported ? 'unsupported unit file' : 'invalid rollout settings'} for ${spec.service} (${problems.length} problem${
      problems.length === 1 ? '' : 's'
    }):${lines}`,
    { code: unsupported ? 'ERR_ROLLOUT_UNSUPPORTED' : 'ERR_ROLLOUT_INVALID_SPEC' },
  );
}

const FIELD_TO_FLAG: Record<string, string> = {
  count: '--count',
  maxUnavailable: '--max-unavailable',
  maxSurge: '--max-surge',
  maxParallel: '--max-parallel',
  minHealthyMs: '--min-healthy',
  'timeouts.stop': '--stop-timeout',
  'timeouts.gone': '--gone-timeout',
  'timeouts.launched': '--launched-timeout',
  'timeouts.healthy': '--healthy-timeout',
  progressDeadlineMs: '--progress-deadline',
  pollIntervalMs: '--poll-interval',
  onFailure: '--on-failure',
  replaceMode: '--replace-mode',
  service: 'SERVICE',
  unitFile: 'UNIT_FILE',
};

/** Names a spec field the way the user typed it. */
export function flagName(field: string): string {
  return FIELD_TO_FLAG[field] ?? field;
}
