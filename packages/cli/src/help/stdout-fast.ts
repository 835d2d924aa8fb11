/**
 * Standard output for the help fast path without `process.stdout`. Node builds that stream lazily,
 * on first use, and building it costs ~5 ms of a ~65 ms cold start (a tty.WriteStream in a
 * terminal, a net.Socket on a pipe; measured with farm-bench: 1.06× `node -e 0` in a pty just for
 * touching `process.stdout.isTTY`). The fast path only needs three facts and one write:
 *
 * - is fd 1 a terminal, and how wide is it: from Node's own tty binding (`tty_wrap`, the one
 *   `tty.isatty` and `tty.WriteStream` use; no public API gives the width without the stream),
 *   a handle opened and closed at once (libuv never closes fds 0–2);
 * - the write: `fs.writeSync(1, …)`, what process.stdout does for files and terminals anyway.
 *
 * Any doubt — the binding missing or changed in another Node, a write that fails — falls back to
 * `process.stdout`, so the worst case is today's speed, never a wrong answer.
 */
import { writeSync } from 'node:fs';

interface TtyBinding {
  isTTY(fd: number): boolean;
  TTY: new (fd: number, ctx: object) => { getWindowSize(out: number[]): number | undefined; close(): void };
}

/** `process.binding` warns (DEP0111) only under --pending-deprecation: then stay on the public API. */
const pendingDeprecation = () =>
  process.execArgv.includes('--pending-deprecation') ||
  (process.env.NODE_OPTIONS ?? '').includes('--pending-deprecation') ||
  process.env.NODE_PENDING_DEPRECATION === '1';

function ttyBinding(): TtyBinding | undefined {
  if (pendingDeprecation()) return undefined;
  try {
    const b = (process as unknown as { binding(name: string): unknown }).binding('tty_wrap') as TtyBinding;
    return typeof b?.isTTY === 'function' && typeof b.TTY === 'function' ? b : undefined;
  } catch {
    return undefined;
  }
}

/** Whether stdout is a terminal, and its width (undefined when not known). */
export function stdoutTerminal(): { isTTY: boolean; columns: number | undefined } {
  const b = ttyBinding();
  if (!b) return { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns };
  if (!b.isTTY(1)) return { isTTY: false, columns: undefined };
  try {
    const handle = new b.TTY(1, {});
    const size: number[] = [];
    const err = handle.getWindowSize(size);
    handle.close();
    // what tty.WriteStream does: a failed ioctl leaves columns unset
    if (err === undefined || err === 0) return { isTTY: true, columns: size[0] };
    return { isTTY: true, columns: undefined };
  } catch {
    return { isTTY: true, columns: process.stdout.columns };
  }
}

/** Write `text` to fd 1 synchronously; what could not be written goes through process.stdout. */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch {
    process.stdout.write(bytes.subarray(done));
  }
}
