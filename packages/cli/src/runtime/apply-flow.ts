/**
 * `fs apply`: load the desired state (bad input stops here, before fleet is asked anything), check
 * the endpoint is fleet, then apply once (or plan only) or keep watching. Events are rendered as
 * lines (text), streamed (ndjson) or kept for the one document (json). Ctrl-C stops safely: the
 * services in flight keep their capacity and release their locks.
 */
import { hostname } from 'node:os';
import type {
  ApplyEvent,
  ApplyOptions,
  ApplyResult,
  DesiredState,
  ServiceOutcome,
} from '@fleet-service/apply';
import { Chalk } from 'chalk';
import { EXIT_CODE_FOR_CLASS } from '../exit-codes.js';
import { notifyRequest } from '../flags/notify-flags.js';
import type { OutputMode } from '../output/output-mode.js';
import { applyEventLine, applyPlanText, applySummaryText } from '../render/apply-text.js';
import { stamp } from '../render/event-lines.js';
import { UsageError } from '../usage-error.js';
import {
  type ConnectionSettings,
  checkIsFleet,
  createClient,
  healthCheckConnect as healthCheckConnectFor,
} from './connect.js';
import { lockIdentity } from './engine-run.js';
import { handleInterrupts, type InterruptHandle } from './interrupt.js';

export interface ApplyFlags {
  'root-uri'?: string | undefined;
  prune?: boolean;
  protect?: string[] | undefined;
  'allow-empty'?: boolean;
  'dry-run'?: boolean;
  plan?: boolean;
  parallel?: number | undefined;
  'fail-fast'?: boolean;
  force?: boolean;
  watch?: number | undefined;
  'revert-drift'?: boolean;
  'steal-lock'?: boolean;
  'lock-settle'?: number | undefined;
  notify?: string[] | undefined;
  'notify-on'?: string | undefined;
  'notify-timeout'?: number | undefined;
}

export interface ApplyRun {
  file: string | undefined;
  flags: ApplyFlags;
  settings: ConnectionSettings;
  mode: OutputMode;
  /** The global --timeout (every state), if given. */
  timeoutMs?: number | undefined;
  /** Called once the Ctrl-C handler is installed (the command asks it whether the user interrupted). */
  onInterrupts: (handle: InterruptHandle) => void;
}

/** Checks that need nothing but the flags. */
export function checkApplyFlags(file: string | undefined, flags: ApplyFlags): void {
  if (!file && !flags['root-uri'])
    throw new UsageError('name services.yaml (FILE) or a root URI (--root-uri / -rootURI) that holds it');
  const dry = flags['dry-run'] || flags.plan;
  if (dry && flags.watch !== undefined) throw new UsageError('--dry-run/--plan conflicts with --watch');
  if (dry && flags['steal-lock'])
    throw new UsageError('--dry-run conflicts with --steal-lock', { hint: 'a dry run takes no lock' });
}

export async function runApply(run: ApplyRun): Promise<{ result?: ApplyResult; watched?: boolean }> {
  const { flags, mode } = run;
  checkApplyFlags(run.file, flags);
  const apply = await import('@fleet-service/apply');
  const c = new Chalk({ level: mode.color ? 1 : 0 });
  const write = (text: string) => process.stdout.write(text);
  const options: ApplyOptions = {
    ...(run.file ? { file: run.file } : {}),
    ...(flags['root-uri'] ? { rootUri: flags['root-uri'] } : {}),
    prune: flags.prune ?? false,
    protect: flags.protect ?? [],
    allowEmpty: flags['allow-empty'] ?? false,
    force: flags.force ?? false,
    dryRun: Boolean(flags['dry-run'] || flags.plan),
    // the old fs's global --timeout: every state's timeout, unless the file sets its own
    ...(run.timeoutMs !== undefined
      ? {
          defaults: {
            timeouts: {
              stop: run.timeoutMs,
              gone: run.timeoutMs,
              launched: run.timeoutMs,
              healthy: run.timeoutMs,
            },
          },
        }
      : {}),
  };
  // --notify: every target is checked before anything else (a bad one is exit 2, nothing changed)
  const request = notifyRequest(flags, 'apply', '');
  const notify = request ? (await import('./notify-run.js')).startApplyNotify(request, mode) : undefined;
  const interrupts = handleInterrupts((message) => process.stderr.write(`${message}\n`));
  run.onInterrupts(interrupts);
  const onEvent = (e: ApplyEvent) => {
    notify?.onEvent(e);
    if (mode.format === 'ndjson') write(`${JSON.stringify(e)}\n`);
    if (mode.format !== 'text' || mode.quiet) return;
    if (e.type === 'apply-plan' && options.dryRun) return; // printed whole below
    const line = applyEventLine(e, c, mode.verbose);
    if (line !== undefined) write(`${mode.live ? '' : `${stamp(e.time)} `}${line}\n`);
  };
  try {
    const api = await createClient(run.settings);
    // health checks reach the machines the way fleet is reached: through the tunnel or proxy
    const healthCheckConnect = await healthCheckConnectFor(run.settings);
    const deps = {
      api,
      signal: interrupts.signal,
      onEvent,
      parallel: flags.parallel ?? 4,
      failFast: flags['fail-fast'] ?? false,
      lock: lockIdentity({
        ...(flags['steal-lock'] ? { steal: true } : {}),
        ...(flags['lock-settle'] !== undefined ? { settleMs: flags['lock-settle'] } : {}),
      }),
      host: hostname(),
      pid: process.pid,
      ...(healthCheckConnect ? { healthCheckConnect } : {}),
      // each service's outcome goes to the --notify targets as soon as it is known
      onServiceDone: (outcome: ServiceOutcome) => {
        void notify?.serviceDone({
          service: outcome.service,
          result: outcome.result,
          error: outcome.error,
          exitCode: outcome.failureClass ? EXIT_CODE_FOR_CLASS[outcome.failureClass] : 0,
        });
      },
    };
    if (flags.watch !== undefined) {
      // a source or fleet that is away is retried by the loop (bad input on the first run exits 2)
      await apply.watchApply(
        { ...options, intervalMs: flags.watch, revertDrift: flags['revert-drift'] !== false },
        deps,
      );
      return { watched: true };
    }
    // bad input first: nothing in fleet is read before the desired state is valid
    const desired: DesiredState = await apply.loadDesiredState({ ...options, signal: interrupts.signal });
    await checkIsFleet(api, run.settings.endpoint, interrupts.signal);
    const finished = (result: ApplyResult) => {
      if (mode.format !== 'text') return;
      if (result.dryRun) write(applyPlanText(result.plan, c));
      else if (!mode.quiet || !result.ok) write(applySummaryText(result, c));
    };
    try {
      const result = await apply.apply({ ...options, desired }, deps);
      finished(result);
      return { result };
    } catch (error) {
      const result = (error as { result?: ApplyResult }).result;
      if (result) finished(result);
      throw error;
    }
  } finally {
    interrupts.dispose();
    await notify?.close();
  }
}
