/**
 * The version a unit file runs, read the way a person would: its `VERSION=` environment value,
 * else the tag of the container image its `ExecStart` runs, else nothing (the caller then uses
 * the contents hash). Pure.
 */

/** A unit file line, fleet's wire names (`{section, name, value}`). */
export interface UnitLine {
  section: string;
  name: string;
  value: string;
}

/** Container runners whose `run` subcommand takes `[options] IMAGE [command]`. */
const RUNNERS = /(^|\/)(docker|podman|nerdctl)$/;
/** Options of `docker run` that take no value (all others with a value take the next word). */
const SWITCHES = new Set([
  '-d',
  '-i',
  '-t',
  '-it',
  '-ti',
  '-dit',
  '-P',
  '--rm',
  '--detach',
  '--interactive',
  '--tty',
  '--init',
  '--privileged',
  '--publish-all',
  '--read-only',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--sig-proxy',
  '--quiet',
  '-q',
]);

/** `VERSION` from `Environment=` lines (`VERSION=v2`, `"VERSION=v2" OTHER=x`); the last one wins, as in systemd. */
export function versionOf(unit: readonly UnitLine[]): string | undefined {
  let version: string | undefined;
  for (const line of unit) {
    if (line.section !== 'Service' || line.name !== 'Environment') continue;
    for (const word of shellWords(line.value)) {
      if (word.startsWith('VERSION=') && word.length > 'VERSION='.length) version = word.slice(8);
    }
  }
  return version ?? tagOf(imageOf(unit));
}

/** The image of the first `ExecStart` (or `ExecStartPre` pull) that runs a container, e.g. `me/blog:v1.12`. */
export function imageOf(unit: readonly UnitLine[]): string | undefined {
  for (const line of unit) {
    if (line.section !== 'Service' || line.name !== 'ExecStart') continue;
    const image = imageInCommand(shellWords(line.value.replace(/^[-@:+!]+/, '')));
    if (image) return image;
  }
  return undefined;
}

/** The tag of an image reference (`registry:5000/me/blog:v1.12` → `v1.12`; a digest → its first 12 hex). */
export function tagOf(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at >= 0)
    return image
      .slice(at + 1)
      .replace(/^sha256:/, '')
      .slice(0, 12);
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  return colon >= 0 ? lastPart.slice(colon + 1) : undefined;
}

function imageInCommand(words: string[]): string | undefined {
  const run = words.findIndex((w, i) => w === 'run' && i > 0 && RUNNERS.test(words[i - 1] ?? ''));
  if (run < 0) return undefined;
  for (let i = run + 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-')) return w.includes('$') || w.includes('%') ? undefined : w;
    if (!w.includes('=') && !SWITCHES.has(w)) i++; // the option's value
  }
  return undefined;
}

/** Words of a command line as systemd splits them: spaces, with double and single quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    words.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return words;
}
