/** Why the rollout's signal was aborted: the user pressed Ctrl-C or the process got SIGTERM. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly code = 'ERR_INTERRUPTED';
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(`stopped by ${signal}`);
    this.signal = signal;
  }
}

/** The Ctrl-C policy of a mutating command. */
export interface InterruptHandle {
  /** Aborted on the first SIGINT or SIGTERM; pass it to the engine. */
  readonly signal: AbortSignal;
  /** Whether the run was interrupted. */
  readonly interrupted: boolean;
  /** Removes the handlers (call in `finally`). */
  dispose(): void;
}

/**
 * First SIGINT (or SIGTERM): abort the engine's signal so it stops safely — the current step
 * finishes or is undone, capacity is kept and the lock released — and tell the user.
 * Second SIGINT: exit at once with code 130.
 */
export function handleInterrupts(notify: (message: string) => void): InterruptHandle {
  const controller = new AbortController();
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      notify('stopping safely (capacity kept, lock released); press Ctrl-C again to exit at once');
      controller.abort(new InterruptedError(signal));
      return;
    }
    notify('exiting at once');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get interrupted() {
      return count > 0;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
