import { Chalk } from 'chalk';
import type { OutputFormat } from '../output/output-mode.js';
import type { ErrorReport } from './error-report.js';

/** Prints an error report: text on stderr, or one JSON document / NDJSON line on stdout. */
export function printErrorReport(
  report: ErrorReport,
  opts: { format: OutputFormat; color: boolean; verbose: boolean; result?: unknown },
): void {
  const body = {
    name: report.name,
    code: report.code,
    message: report.message,
    ...(report.hint ? { hint: report.hint } : {}),
    details: report.details,
    ...report.context,
  };
  if (opts.format === 'json') {
    const doc = {
      ok: false,
      exitCode: report.exitCode,
      error: body,
      ...(opts.result ? { result: opts.result } : {}),
    };
    process.stdout.write(`${JSON.stringify(doc)}\n`);
    return;
  }
  if (opts.format === 'ndjson') {
    const line = {
      type: 'error',
      ok: false,
      exitCode: report.exitCode,
      error: body,
      ...(opts.result ? { result: opts.result } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const lines = [`${c.red('✖')} ${c.bold(report.message)}`];
  for (const d of report.details) lines.push(`  ${d}`);
  if (report.hint) lines.push(`${c.dim('hint:')} ${report.hint}`);
  if (opts.verbose) lines.push(c.dim(`(${report.code}, exit code ${report.exitCode})`));
  process.stderr.write(`${lines.join('\n')}\n`);
}
