// README code blocks that only type-check, each with the reason: what they need a test cannot
// have. (A block can also say so itself: ```ts check-only.) These stay.
export const CHECK_ONLY: Record<string, string> = {
  'packages/fleet-client/README.md#TLS (behind a TLS proxy; fleetd itself speaks only plain HTTP)':
    'needs a TLS fleet endpoint and certificate files under /etc/fs',
  'packages/fleet-client/README.md#Your own connection: SSH tunnels, SOCKS proxies (`connect`, `agent`)':
    'needs a connected ssh2 client (declared, not created, in the example)',
};

// README code blocks the README test does not yet hold to "type-checks and runs", each with the
// reason. Keyed `<file>#<section>` (the first block of that section; `#2` for the second).
// The integrator empties this list after issue 11 lands: these sections belong to that work.
// A block listed here that starts passing makes its test fail, so the list cannot go stale.
export const NOT_YET_PASSING: Record<string, string> = {};
