import { readFile } from 'node:fs/promises';
import type { UnitOption } from '@fleet-service/fleet-client';
import { UsageError } from '../usage-error.js';

/**
 * Reads and parses a unit file, then validates its options as fleet would on create.
 * Every failure is bad input (exit 2): a missing or unreadable file, a syntax error
 * (UnitFileSyntaxError with every problem and its line), or options fleet would refuse.
 */
export async function loadUnitFile(path: string): Promise<UnitOption[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : code === 'EISDIR'
            ? 'is a directory, not a unit file'
            : `cannot be read (${code ?? String(error)})`;
    throw new UsageError(`unit file ${path} ${why}`, { code: 'ERR_UNIT_FILE_READ', cause: error });
  }
  const { parseUnitFile, validateUnitOptions } = await import('@fleet-service/fleet-client');
  const options = parseUnitFile(text, { source: path });
  if (options.length === 0) {
    throw new UsageError(`unit file ${path} has no options`, {
      code: 'ERR_INVALID_UNIT_OPTIONS',
      hint: 'a unit file needs at least one option, e.g. [Service] ExecStart=…',
    });
  }
  const problems = validateUnitOptions(options);
  if (problems.length > 0) {
    const lines = problems
      .map((p) => `\n${p.option ? `[${p.option.section}] ${p.option.name}: ` : ''}${p.message}`)
      .join('');
    throw new UsageError(`unit file ${path} has options fleet would refuse:${lines}`, {
      code: 'ERR_INVALID_UNIT_OPTIONS',
    });
  }
  return options;
}

/** Checks a service name as fs uses it (S.service, S@.service, S@1.service must be valid). */
export async function checkServiceName(service: string): Promise<void> {
  const { validateServiceName } = await import('@fleet-service/fleet-client');
  const problem = validateServiceName(service);
  if (problem) throw new UsageError(problem, { code: 'ERR_INVALID_UNIT_NAME' });
}
