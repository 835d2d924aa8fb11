#!/usr/bin/env bash
# Build the real fleet v1.0.0 test bed (installs golang-go + etcd-server when missing; needs root
# for apt) and start a fresh 3-machine cluster on free loopback ports, for trying fs by hand:
#   npm run realfleet:up        # prints the endpoint; stop with: npm run realfleet:down
# The test suite does not need this: it starts its own cluster once per run (global-setup.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
RF="${REALFLEET:-${TMPDIR:-/tmp}/fs-realfleet}"
REALFLEET="$RF" bash test/realfleet/kit/build.sh
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
export REALFLEET_ETCD_PORT="${REALFLEET_ETCD_PORT:-$(free_port)}"
export REALFLEET_ETCD_PEER_PORT="${REALFLEET_ETCD_PEER_PORT:-$(free_port)}"
export REALFLEET_API_PORT="${REALFLEET_API_PORT:-$(free_port)}"
export FLEETD_SIM_START_DELAY="${FLEETD_SIM_START_DELAY:-2s}"
"$RF/start.sh" --fresh "${1:-3}"
echo "fleet API: http://127.0.0.1:$REALFLEET_API_PORT  (e.g. FLEETCTL_ENDPOINT=http://127.0.0.1:$REALFLEET_API_PORT fs status)"
echo "stop: npm run realfleet:down"
