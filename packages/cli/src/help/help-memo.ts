/**
 * Help in a terminal, without loading oclif. In a terminal oclif wraps help to the terminal's
 * width and may colour it, so the build-time cache (plain, 80 columns) cannot answer. Rendering
 * every width at build time would take megabytes, so instead the text oclif renders for a help
 * request in a terminal is remembered, keyed by everything that decides it: the request, the
 * package version, the width (`process.stdout.columns`, OCLIF_COLUMNS), the colour environment
 * (NO_COLOR, FORCE_COLOR, TERM, COLORTERM, CI) and the user agent (platform, arch, node version).
 * The next request with the same key prints the remembered text: exactly what oclif printed.
 *
 * Where: `FS_HELP_CACHE_DIR`, else `$XDG_CACHE_HOME/fs`, else `~/.cache/fs`; one small file per
 * key. Nothing is remembered when the directory cannot be written (read-only home: oclif answers
 * every time) or when oclif did not exit 0. FS_HELP_CACHE=0 and DEBUG turn it off.
 *
 * This module imports only node builtins: `bin/run.js` and the binary load it before oclif.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What decides a terminal's help text besides the request. */
export interface TerminalHelpContext {
  env: Readonly<Record<string, string | undefined>>;
  /** `name/version` of the CLI. */
  nameVersion: string;
  /** The terminal's width (`process.stdout.columns`). */
  columns: number | undefined;
  platform: string;
  arch: string;
  nodeVersion: string;
}

/** The directory remembered help lives in, or undefined when it is turned off. */
export function helpMemoDir(env: TerminalHelpContext['env']): string | undefined {
  if (env.FS_HELP_CACHE === '0' || env.FS_HELP_CACHE === 'false' || env.DEBUG) return undefined;
  if (env.FS_HELP_CACHE_DIR) return env.FS_HELP_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'fs');
  try {
    return join(homedir(), '.cache', 'fs');
  } catch {
    return undefined;
  }
}

/** The file that holds the help for `key` (a help-cache key: '' = root) in this context. */
export function helpMemoFile(dir: string, key: string, ctx: TerminalHelpContext): string {
  const { env } = ctx;
  const parts = [
    'help/1',
    ctx.nameVersion,
    key,
    String(ctx.columns ?? ''),
    env.OCLIF_COLUMNS ?? '',
    env.NO_COLOR ?? '-',
    env.FORCE_COLOR ?? '-',
    env.TERM ?? '-',
    env.COLORTERM ?? '-',
    env.CI ?? '-',
    ctx.platform,
    ctx.arch,
    ctx.nodeVersion,
  ];
  return join(dir, `help-${fnv1a(parts.join('\u0000'))}.txt`);
}

/** 64-bit FNV-1a of `text` as 16 hex digits (no node:crypto: it costs start-up time). */
function fnv1a(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let k = 0; k < text.length; k++)
    h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(k))) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/** The remembered text, or undefined. */
export function readHelpMemo(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Remember what oclif writes to stdout from now on, and store it in `file` when the process exits
 * with code 0. Never throws: a cache that cannot be written is simply not used.
 */
export function rememberHelp(file: string, dir: string): void {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.once('exit', (code) => {
    if (code !== 0 || chunks.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, chunks.join(''));
      renameSync(tmp, file);
    } catch {
      // read-only or full: oclif answers next time too
    }
  });
}
