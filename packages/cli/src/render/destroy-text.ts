import type { DestroyResult } from '@fleet-service/rollout';
import { Chalk } from 'chalk';
import { formatDuration } from '../flags/duration.js';

/** Text for `fs destroy`: one line per destroyed unit (as the old fs printed), then a summary. */
export function destroyText(service: string, result: DestroyResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines = result.removed.map((u) => `Destroyed ${u}`);
  lines.push(
    result.removed.length === 0
      ? `${c.green('✔')} ${service}: nothing to destroy`
      : `${c.green('✔')} ${service}: destroyed ${result.removed.length} unit(s) in ${formatDuration(result.durationMs)}`,
  );
  return `${lines.join('\n')}\n`;
}
