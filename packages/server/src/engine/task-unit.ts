/**
 * The unit file of a one-off task: the service's task template (config key `task`) at the requested
 * version — `{{version}}` and the image's tag as a deploy renders them — with `{{command}}`
 * replaced by the command. A command is one line (a newline would add options to the unit file);
 * systemd's `%` specifiers are escaped so the command runs as written.
 */
import { parseUnitFile, type UnitOption, validateUnitOptions } from '@fleet-service/fleet-client';
import { taskCommandProblem, withTaskCommand } from '@fleet-service/rollout';
import type { ServeConfig } from '../config/serve-config.js';
import { DeployRequestError } from '../errors.js';
import { checkVersion, serviceFor } from './deploy-spec.js';
import { renderForVersion } from './image-ref.js';

export function taskUnitFor(
  config: ServeConfig,
  service: string,
  version: unknown,
  command: unknown,
): UnitOption[] {
  const d = serviceFor(config, { service });
  const template = config.tasks?.get(service);
  if (!template)
    throw new DeployRequestError(
      `service "${service}" has no task template (task: FILE in the config, with {{command}})`,
      422,
      'no-task-template',
    );
  const v = checkVersion(typeof version === 'string' ? version : undefined);
  const problem = taskCommandProblem(command);
  if (problem !== undefined || typeof command !== 'string')
    throw new DeployRequestError(problem ?? 'no command', 400, 'invalid-command');
  if (!template.text.includes('{{command}}'))
    throw new DeployRequestError(`${template.source} has no {{command}}`, 422, 'invalid-unit');
  const rendered = renderForVersion(template.text, v, d.image);
  if (rendered.problem) throw new DeployRequestError(rendered.problem, 422, 'invalid-unit');
  const text = withTaskCommand(rendered.text, command);
  let unitFile: UnitOption[];
  try {
    unitFile = parseUnitFile(text, { source: template.source });
  } catch (error) {
    throw new DeployRequestError(`${template.source}: ${(error as Error).message}`, 422, 'invalid-unit');
  }
  const problems = validateUnitOptions(unitFile);
  if (problems.length > 0)
    throw new DeployRequestError(
      `${template.source}: ${problems.map((p) => p.message).join('; ')}`,
      422,
      'invalid-unit',
    );
  return unitFile;
}
