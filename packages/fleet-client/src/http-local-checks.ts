/**
 * Checks done before anything is sent: fleet accepts some requests it should not (an invalid
 * desiredState on an existing unit is stored unvalidated and poisons the unit; replacing contents
 * skips option validation), so the client refuses them itself with a FleetValidationError.
 */
import { FleetValidationError, type ValidationProblem } from './errors.js';
import type { CreateUnitRequest } from './fleet-api.js';
import { validateUnitName } from './names.js';
import { isJobState, type UnitOption } from './types.js';
import { normalizeUnitOptions } from './unit-file-normalize.js';
import { validateUnitOptions } from './validate-options.js';

function desiredStateProblem(desiredState: unknown): ValidationProblem {
  return {
    field: 'desiredState',
    message: `invalid desiredState ${JSON.stringify(desiredState)}: only inactive, loaded or launched may be sent (fleet would store anything else unvalidated and make the unit unreadable)`,
  };
}

function refuse(name: string, basePath: string, problems: ValidationProblem[]): FleetValidationError {
  const path = `${basePath}units/${name}`;
  return new FleetValidationError(
    `PUT ${path} refused before sending: ${problems.map((p) => p.message).join('; ')}`,
    problems,
    { method: 'PUT', path, unitName: name },
  );
}

/** Throws a FleetValidationError unless `desiredState` is `inactive | loaded | launched`. */
export function checkDesiredState(name: string, desiredState: unknown, basePath: string): void {
  if (!isJobState(desiredState)) throw refuse(name, basePath, [desiredStateProblem(desiredState)]);
}

/** The exact PUT body for a create or replace: `{name, options[, desiredState]}`. */
export interface CreateUnitBody {
  name: string;
  options: UnitOption[];
  desiredState?: string;
}

/**
 * Validates a create/replace request as fleet does on create (name, options) plus what fleet
 * misses (empty options, desiredState), reporting every problem, and returns the body to send.
 *
 * The options sent are {@link normalizeUnitOptions}' form of the ones given (grouped by section,
 * names and values trimmed): what fleet's registry gives back anyway (fleet-api.md §7.3). Sending
 * them raw would make fleet store text whose re-read differs from it, so re-PUTting the same
 * options would answer 201 and reset desiredState every time, and `UnitState.hash` would match
 * neither the options sent nor `unitHash` of them.
 * @throws FleetValidationError (code `ERR_FLEET_INVALID_UNIT`)
 */
export function checkCreateUnit(unit: CreateUnitRequest, basePath: string): CreateUnitBody {
  const problems: ValidationProblem[] = [];
  const name = unit?.name;
  const nameProblem = typeof name === 'string' ? validateUnitName(name) : 'unit name must be a string';
  if (nameProblem !== undefined) problems.push({ field: 'name', message: nameProblem });

  const options = unit?.options;
  let normalized: UnitOption[] = [];
  if (!Array.isArray(options) || options.length === 0) {
    problems.push({
      field: 'options',
      message:
        'options must be a non-empty array (fleet answers 409 for a new unit without options, and ignores empty options for an existing one)',
    });
  } else {
    const optionProblems = validateUnitOptions(options);
    for (const problem of optionProblems) problems.push({ field: 'options', ...problem });
    if (optionProblems.length === 0) {
      normalized = normalizeUnitOptions(options);
      // What is sent is what fleet validates; trimming can, rarely, change an X-Fleet verdict.
      for (const { message } of validateUnitOptions(normalized)) problems.push({ field: 'options', message });
    }
  }
  if (unit?.desiredState !== undefined && !isJobState(unit.desiredState)) {
    problems.push(desiredStateProblem(unit.desiredState));
  }
  if (problems.length > 0) throw refuse(String(name), basePath, problems);

  const body: CreateUnitBody = {
    name,
    options: normalized.map(({ section, name: optionName, value }) => ({ section, name: optionName, value })),
  };
  if (unit.desiredState !== undefined) body.desiredState = unit.desiredState;
  return body;
}
