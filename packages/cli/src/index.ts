// @fleet-service/cli: the `fs` command. Its public surface is small: the pure pieces other
// tools (and tests) may reuse. Commands are found by oclif (bin/run.js), not imported from here.

export { NotFleetError } from '@fleet-service/fleet-client';
export type { ArgvTable, CommandLine, FlagArity, LocatedCommand } from './argv.js';
export {
  GLOBAL_ARGV_TABLE,
  GLOBAL_FLAGS_BEFORE_COMMAND,
  locateCommand,
  normalizeArgv,
  resolveCommandLine,
} from './argv.js';
export { editDistance, suggestCommand } from './command-suggestion.js';
export type { CommandShape } from './command-table.js';
export { argvTableOf } from './command-table.js';
export type { ExitCodeValue, ExitInput } from './exit-codes.js';
export {
  decideExitCode,
  EXIT_CODE_DESCRIPTIONS,
  ExitCode,
  exitCodeForErrorCode,
  exitCodeForOutcome,
} from './exit-codes.js';
export type { DurationBounds } from './flags/duration.js';
export { formatDuration, parseDuration, parseInteger } from './flags/duration.js';
export { UsageError } from './usage-error.js';
