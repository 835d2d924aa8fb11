// msw's node server for the HTTP-level client tests, listening for one test at a time.
import { setupServer } from 'msw/node';
import { afterEach, beforeEach } from 'vitest';

/**
 * An msw server that listens from each test's start to its end.
 *
 * Why not one `listen()` per file: msw 2.13 (define-network.mjs) adds one `abort` listener per
 * intercepted request to a signal that lives from `listen()` to `close()` and removes none of
 * them before `close()`, so a file making more than 10 requests under one `listen()` printed
 * `MaxListenersExceededWarning: 11 abort listeners added to [AbortSignal]` (and held every
 * request's listener). Closing after each test drops them.
 */
export function useMswServer(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeEach(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    server.close();
  });
  return server;
}
