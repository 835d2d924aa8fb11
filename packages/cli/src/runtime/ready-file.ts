// `fs sim --ready-file FILE`: the simulator's ready signal for scripts. The file appears (written
// whole: a temporary file renamed into place) only once the simulator listens, and holds the
// endpoint and the pid of the process that serves it, which is not `$!` when fs runs under npx.
import { rename, rm, writeFile } from 'node:fs/promises';

/** What the ready file holds, as one JSON line. */
export interface ReadyInfo {
  endpoint: string;
  pid: number;
}

/** Writes `info` to `file` atomically. */
export async function writeReadyFile(file: string, info: ReadyInfo): Promise<void> {
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(info)}\n`);
  await rename(partial, file);
}

/** Removes the ready file when the simulator stops (a missing file is fine). */
export async function removeReadyFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
