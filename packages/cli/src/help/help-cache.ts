/**
 * Help served without loading oclif. At build time every help text oclif can print for a bare
 * `--help` request (the root, and each command id and alias) is rendered with oclif's own Help
 * class in its plain form (stdout not a terminal: width 80, no colour) and stored in a
 * {@link HelpCache} (`dist/help-cache.json` for npm installs; embedded in the single binary).
 * `bin/run.js` and the binary print a cached text only when oclif would print exactly that text:
 * the argv is one of the help forms below and the output would be plain (see
 * {@link helpCacheUsable}). Everything else goes to oclif as before.
 *
 * This module imports nothing: `bin/run.js` loads it before deciding whether to load oclif.
 */

/** The key of the root help (`fs --help`, `fs -h`, `fs help`, bare `fs`). */
export const ROOT_HELP_KEY = '';

/** Stands in for oclif's `config.userAgent` in the root help (it names the running node). */
export const USER_AGENT_MARK = '\u0000USER_AGENT\u0000';

/** What the build writes: the plain help texts, keyed by command id or alias ('' = root). */
export interface HelpCache {
  /** Format of this file. */
  format: 1;
  /** Terminal width the texts were wrapped at (oclif's width when stdout is not a terminal). */
  width: number;
  /** Package name and version, as oclif puts them in the user agent (`name/version`). */
  nameVersion: string;
  /** Help text per key, exactly as oclif writes it to stdout; the root's has {@link USER_AGENT_MARK}. */
  texts: Record<string, string>;
}

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

/**
 * Which cached text answers `args` (argv after `normalizeArgv`), or undefined when the request is
 * not one of the plain help forms: `[]`, `--help`, `-h`, `help` (root), `ID --help`, `ID -h`,
 * `--help ID`, `-h ID`, `help ID` (command ID). Mirrors oclif: a help flag anywhere shows help for
 * the first argument that is not a help flag or `help`; `help` first runs the help command.
 * `ID help` is the command ID with the argument `help`, not help.
 */
export function helpCacheKey(args: readonly string[], hasKey: (key: string) => boolean): string | undefined {
  if (args.length === 0) return ROOT_HELP_KEY;
  if (args.length > 2) return undefined;
  const helpFlag = args.some((a) => HELP_FLAGS.has(a));
  if (!helpFlag && args[0] !== 'help') return undefined;
  const rest = args.filter((a) => !HELP_FLAGS.has(a) && a !== 'help');
  if (rest.length === 0) return ROOT_HELP_KEY;
  const id = rest[0]!;
  if (rest.length === 1 && !id.startsWith('-') && id !== ROOT_HELP_KEY && hasKey(id)) return id;
  return undefined;
}

/** What decides whether oclif's output would be the plain form the cache holds. */
export interface HelpOutputContext {
  /** The environment (FORCE_COLOR, OCLIF_COLUMNS, DEBUG, FS_HELP_CACHE are read). */
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (oclif then wraps at its width and may colour). */
  stdoutIsTTY: boolean;
}

/**
 * Whether oclif would print the cached plain form: stdout is not a terminal (oclif then wraps at
 * 80 columns and never colours) unless FORCE_COLOR or OCLIF_COLUMNS say otherwise; DEBUG (oclif's
 * debug log) goes to oclif; FS_HELP_CACHE=0 turns the cache off.
 */
export function helpCacheUsable(cache: HelpCache, ctx: HelpOutputContext): boolean {
  const { env } = ctx;
  if (ctx.stdoutIsTTY) return false;
  if (env.FS_HELP_CACHE === '0' || env.FS_HELP_CACHE === 'false') return false;
  if (env.FORCE_COLOR !== undefined || env.DEBUG) return false;
  const columns = Number.parseInt(env.OCLIF_COLUMNS ?? '', 10);
  if (columns && columns !== cache.width) return false;
  return true;
}

/** oclif's user agent: `name/version platform-arch node-vX.Y.Z`. */
export function userAgent(nameVersion: string, platform: string, arch: string, nodeVersion: string): string {
  return `${nameVersion} ${platform}-${arch === 'ia32' ? 'x86' : arch} node-${nodeVersion}`;
}

/**
 * The text oclif would print for `args`, or undefined when oclif must answer (not a help form,
 * an unknown command, output not plain, or a user agent that might wrap differently).
 * `platform` is what oclif reports: `wsl` under WSL (undefined when unknown: the root help then
 * goes to oclif).
 */
export function cachedHelp(
  cache: HelpCache,
  args: readonly string[],
  ctx: HelpOutputContext & { platform: () => string | undefined; arch: string; nodeVersion: string },
): string | undefined {
  if (cache.format !== 1 || !helpCacheUsable(cache, ctx)) return undefined;
  const key = helpCacheKey(args, (k) => Object.hasOwn(cache.texts, k));
  if (key === undefined) return undefined;
  const text = cache.texts[key];
  if (text === undefined) return undefined;
  if (!text.includes(USER_AGENT_MARK)) return text;
  const platform = ctx.platform();
  if (platform === undefined) return undefined;
  const agent = userAgent(cache.nameVersion, platform, ctx.arch, ctx.nodeVersion);
  // oclif wraps the VERSION line at the width; a user agent that long would wrap: let oclif do it
  if (agent.length > cache.width - 10) return undefined;
  return text.replace(USER_AGENT_MARK, agent);
}
