import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseUnitFile, validateUnitOptions } from '@fleet-service/fleet-client';
import type { TaskResult } from '@fleet-service/rollout';
import type { OutputMode } from '../output/output-mode.js';
import { UsageError } from '../usage-error.js';
import { type ConnectionSettings, checkIsFleet, createClient } from './connect.js';
import { checkServiceName } from './unit-file.js';

/** `fs task`: render the template, run the task, print its progress and `Exited (N)`. */
export async function runTaskCommand(run: {
  service: string;
  version: string;
  template: string;
  command: string;
  timeoutMs?: number;
  settings: ConnectionSettings;
  mode: OutputMode;
}): Promise<TaskResult> {
  await checkServiceName(run.service);
  const { runTask, taskCommandProblem, withTaskCommand, VERSION_PATTERN } = await import(
    '@fleet-service/rollout'
  );
  if (!VERSION_PATTERN.test(run.version))
    throw new UsageError(`--version ${JSON.stringify(run.version)}: letters, digits, '.' and '_' only`);
  const problem = taskCommandProblem(run.command);
  if (problem)
    throw new UsageError(`${problem}; give it after --: fs task ${run.service} --version V -- COMMAND`);
  let text: string;
  try {
    text = await readFile(run.template, 'utf8');
  } catch (error) {
    throw new UsageError(`task template ${run.template}: ${(error as Error).message}`, {
      hint: 'a unit file with {{command}} (and {{version}}), e.g. ExecStart=/usr/bin/docker run --rm myorg/app:{{version}} {{command}}',
    });
  }
  if (!text.includes('{{command}}')) throw new UsageError(`task template ${run.template} has no {{command}}`);
  const rendered = withTaskCommand(
    text.replaceAll('{{version}}', () => run.version),
    run.command,
  );
  const unitFile = parseUnitFile(rendered, { source: run.template });
  const invalid = validateUnitOptions(unitFile);
  if (invalid.length > 0)
    throw new UsageError(`task template ${run.template}: ${invalid.map((p) => p.message).join('; ')}`);
  const api = await createClient(run.settings);
  await checkIsFleet(api, run.settings.endpoint);
  const text_ = run.mode.format === 'text';
  const abort = new AbortController();
  const stop = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await runTask(
      {
        service: run.service,
        id: randomBytes(4).toString('hex'),
        unitFile,
        ...(run.timeoutMs !== undefined ? { timeoutMs: run.timeoutMs } : {}),
      },
      { api, signal: abort.signal, onProgress: (line) => text_ && process.stdout.write(`${line}\n`) },
    );
    if (text_) process.stdout.write(`\nExited (${result.exitCode})\n`);
    return result;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
