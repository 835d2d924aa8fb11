import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';

/**
 * The platform oclif names in its user agent, when it can be told without loading oclif:
 * `process.platform`, except that oclif says `wsl` under WSL (unless inside a container). Any sign
 * of WSL gives undefined, so the caller leaves the answer to oclif.
 */
export function oclifPlatform(): string | undefined {
  if (process.platform !== 'linux') return process.platform;
  if (release().toLowerCase().includes('microsoft')) return undefined;
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return undefined;
  } catch {
    // no /proc: not WSL
  }
  if (existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')) return undefined;
  return 'linux';
}
