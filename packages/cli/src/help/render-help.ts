// Build time only: renders every cached help text with oclif's own Help class, exactly as
// `main.run` does for a help request (same Help class, same helpOptions, same argv).
import { Config, type Interfaces, loadHelpClass } from '@oclif/core';
import { type HelpCache, ROOT_HELP_KEY, USER_AGENT_MARK } from './help-cache.js';

/** oclif's width when stdout is not a terminal (and OCLIF_COLUMNS is unset). */
export const PLAIN_HELP_WIDTH = 80;

/**
 * Renders the root help and the help of every command id and alias (except `help`, whose own
 * help oclif never shows for `--help`) into a {@link HelpCache}. Must run where oclif renders the
 * plain form: stdout not a terminal, FORCE_COLOR and OCLIF_COLUMNS unset (it checks).
 */
export async function renderHelpTexts(loadOptions: Interfaces.LoadOptions): Promise<HelpCache> {
  if (process.stdout.isTTY) throw new Error('render help with stdout not a terminal (pipe it)');
  for (const name of ['FORCE_COLOR', 'OCLIF_COLUMNS', 'DEBUG']) {
    if (process.env[name] !== undefined) throw new Error(`render help with ${name} unset`);
  }
  const config = await Config.load(loadOptions);
  const keys = [ROOT_HELP_KEY, ...config.commands.map((c) => c.id).filter((id) => id !== 'help')].sort();
  const texts: Record<string, string> = {};
  for (const key of keys) {
    const text = await capture(async () => {
      const Help = await loadHelpClass(config);
      const help = new Help(config, config.pjson.oclif.helpOptions ?? config.pjson.helpOptions);
      await help.showHelp(key === ROOT_HELP_KEY ? ['--help'] : [key, '--help']);
    });
    if (text.includes('\u001b')) throw new Error(`help for "${key}" has escape codes`);
    texts[key] = text;
  }
  const agent = config.userAgent;
  const root = texts[ROOT_HELP_KEY] ?? '';
  if (root.split(agent).length !== 2) throw new Error(`root help does not name "${agent}" once`);
  texts[ROOT_HELP_KEY] = root.replace(agent, USER_AGENT_MARK);
  for (const [key, text] of Object.entries(texts)) {
    if (text.includes(agent)) throw new Error(`help for "${key}" names the user agent`);
  }
  return { format: 1, width: PLAIN_HELP_WIDTH, nameVersion: `${config.name}/${config.version}`, texts };
}

/** Runs `fn` with process.stdout.write captured. */
async function capture(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}
