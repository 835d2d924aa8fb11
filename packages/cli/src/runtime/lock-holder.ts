/**
 * The CLI's answer to the engine's `lock.isHolderAlive`: a lock holder is dead only when that is
 * provable from here — it ran on this host (same host name) and its pid no longer exists
 * (`kill(pid, 0)` fails with ESRCH). Anything else (another host, no pid, our own pid, EPERM: the
 * process exists but belongs to someone else) counts as alive, and the lock is left to expire.
 */
import { hostname } from 'node:os';
import type { LockInfo } from '@fleet-service/rollout';

/** What is known about this process, and how to probe another (injectable for tests). */
export interface LocalProcess {
  host: string;
  pid: number;
  /** `process.kill(pid, 0)`: throws ESRCH when no such process exists. */
  probe(pid: number): void;
}

export function localProcess(): LocalProcess {
  return { host: hostname(), pid: process.pid, probe: (pid) => process.kill(pid, 0) };
}

/** `false` only when the holder provably died on this host; see the file comment. */
export function isHolderAlive(
  holder: Pick<LockInfo, 'host' | 'pid'>,
  local: LocalProcess = localProcess(),
): boolean {
  if (holder.host !== local.host) return true;
  if (!Number.isSafeInteger(holder.pid) || holder.pid <= 0 || holder.pid === local.pid) return true;
  try {
    local.probe(holder.pid);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
