import { Command, Errors, type Interfaces } from '@oclif/core';
import { decideExitCode, ExitCode, type ExitCodeValue } from './exit-codes.js';
import { globalFlags } from './flags/global-flags.js';
import { guessFormat, type OutputMode, resolveOutputMode } from './output/output-mode.js';
import { buildErrorReport, type ErrorHintContext } from './render/error-report.js';
import { printErrorReport } from './render/print-error.js';
import { rerunCommand } from './runtime/command-line.js';
import { type ConnectionSettings, closeConnections } from './runtime/connect.js';
import type { Session } from './runtime/session.js';
import { connectionSettings } from './runtime/settings.js';

export type GlobalFlags = Interfaces.InferredFlags<typeof FsCommand.baseFlags>;

/** What a command hands back: the JSON document's `result` and the rollout outcome, if any. */
export interface CommandOutcome {
  /** Goes into `{"ok":true,"result":…}` with --json, and into the final NDJSON line. */
  result: unknown;
  /** A rollout outcome ('succeeded', 'rolled-back', …): decides the exit code. */
  outcome?: string;
}

/**
 * Base of every `fs` command: the global flags, the output mode, and the one error path
 * (render the error, decide the exit code, exit).
 */
export abstract class FsCommand extends Command {
  static override baseFlags = globalFlags;

  /** Output mode, set by `setup()` once the flags are parsed. */
  protected mode: OutputMode | undefined;
  /** The running session of a mutating command (Ctrl-C state, last failure). */
  protected session: Session | undefined;
  /** Context for error hints (service name, how to resume). */
  protected hintContext: ErrorHintContext = {};
  /** Resolves the output mode from parsed flags; call right after `this.parse`. */
  protected setup(flags: GlobalFlags): OutputMode {
    this.mode = resolveOutputMode(flags, process.env, Boolean(process.stdout.isTTY));
    return this.mode;
  }

  /**
   * `setup()` for a command that changes one service: also resolves the connection settings and
   * records what error hints need (the service, the command line that resumes this run).
   */
  protected setupService(
    flags: GlobalFlags,
    service: string,
  ): { mode: OutputMode; settings: ConnectionSettings } {
    const mode = this.setup(flags);
    const settings = connectionSettings(flags);
    this.hintContext = { service, rerun: rerunCommand(process.argv.slice(2)), endpoint: settings.endpoint };
    return { mode, settings };
  }

  /** Prints the success document (json) or result line (ndjson) and exits with the outcome's code. */
  protected async finish(done: CommandOutcome): Promise<void> {
    const mode = this.mode;
    const exitCode = decideExitCode({ outcome: done.outcome, interrupted: this.interrupted });
    const hint =
      this.interrupted && this.hintContext.rerun ? `resume with: ${this.hintContext.rerun}` : undefined;
    const doc = { ok: exitCode === 0, exitCode, ...(hint ? { hint } : {}), result: done.result };
    if (mode?.format === 'json') writeOut(`${JSON.stringify(doc)}\n`);
    else if (mode?.format === 'ndjson') writeOut(`${JSON.stringify({ type: 'result', ...doc })}\n`);
    else if (hint) writeErr(`stopped safely; ${hint}\n`);
    if (exitCode !== ExitCode.OK) this.exit(exitCode);
  }

  /** Whether the user interrupted the run (first Ctrl-C or SIGTERM). */
  protected get interrupted(): boolean {
    return this.session?.interrupts.interrupted ?? false;
  }

  /** Ends the SSH tunnel a command opened (else its connection would keep the process alive). */
  override async finally(error: Error | undefined): Promise<unknown> {
    closeConnections();
    return super.finally(error);
  }

  override async catch(caught: Error & { exitCode?: number }): Promise<never> {
    if (caught instanceof Errors.ExitError) throw caught;
    const error = await inFlagTerms(caught, this.hintContext.service);
    const exitCode: ExitCodeValue = decideExitCode({
      error,
      interrupted: this.interrupted,
      outcome: resultOutcome(error),
    });
    const format = this.mode?.format ?? guessFormat(this.argv, process.env);
    const lastFailure = this.session?.lastFailure;
    const report = buildErrorReport(error, {
      ...this.hintContext,
      ...(lastFailure ? { lastFailure } : {}),
      exitCode,
      interrupted: this.interrupted,
    });
    printErrorReport(report, {
      format,
      color: (this.mode?.color ?? false) && Boolean(process.stderr.isTTY),
      verbose: this.mode?.verbose ?? false,
      result: (error as { result?: unknown }).result,
    });
    // an unexpected error: with --verbose, the stack helps whoever reports it
    if (exitCode === ExitCode.INTERNAL && this.mode?.verbose && error.stack) writeErr(`${error.stack}\n`);
    this.exit(exitCode);
    throw error; // unreachable: exit throws
  }
}

/**
 * A spec problem the engine found only after observing (a kept count that makes an outage) names
 * engine fields; say it in flags, as the checks before connecting do (runtime/validate.ts).
 */
async function inFlagTerms(
  error: Error & { exitCode?: number },
  service: string | undefined,
): Promise<Error & { exitCode?: number }> {
  const problems = (error as { problems?: unknown }).problems;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_ROLLOUT_INVALID_SPEC' || !Array.isArray(problems) || error.name === 'UsageError')
    return error;
  const { specProblemsError } = await import('./runtime/validate.js');
  const usage = specProblemsError(service ?? 'the service', problems);
  Object.assign(usage, { cause: error, result: (error as { result?: unknown }).result });
  return usage;
}

function resultOutcome(error: unknown): string | undefined {
  const outcome = (error as { result?: { outcome?: unknown } } | undefined)?.result?.outcome;
  return typeof outcome === 'string' ? outcome : undefined;
}

/** Writes to stdout synchronously enough for process exit (pipes and files are sync on Linux). */
export function writeOut(text: string): void {
  process.stdout.write(text);
}

/** Writes to stderr. */
export function writeErr(text: string): void {
  process.stderr.write(text);
}
