#!/usr/bin/env bash
# Starts and stops a throwaway Azurite (the Azure Storage emulator, Blob service only) for
# Pangolin's tests, on loopback only.
#
# Usage: scripts/services/azurite.sh start DATA_DIR [PORT]
#        scripts/services/azurite.sh stop DATA_DIR
#   e.g. endpoint=$(scripts/services/azurite.sh start /tmp/pangolin-azurite)
#        PANGOLIN_TEST_AZURE_ENDPOINT=$endpoint build/tests/contract_test
#        scripts/services/azurite.sh stop /tmp/pangolin-azurite
#
# start: installs Azurite the first time (npm, pinned version below, into .cache/azurite of the
# repository; later runs start at once), starts its Blob service on 127.0.0.1:PORT (a free port
# when PORT is omitted or 0) with its data in DATA_DIR/data and telemetry off, waits until it
# answers HTTP and prints one line: the Blob endpoint of the emulator's account,
# http://127.0.0.1:PORT/devstoreaccount1.
# An emulator already running for DATA_DIR is left as it is and its endpoint printed. Blobs
# survive a stop and start. Containers are not created here (a request creating one must be
# signed); the tests create what they use.
# stop: stops the emulator started for DATA_DIR and leaves its data in place; nothing to do when
# it is not running.
#
# The emulator knows one account, with the name and key Microsoft publishes for it (see
# "Use the Azurite emulator", learn.microsoft.com; the same in every Azurite installation, so
# it protects nothing and must never be used outside tests):
#   account name  devstoreaccount1
#   account key   Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
#
# It accepts every service API version (--skipApiVersionCheck): the newest Azure SDKs ask for
# versions newer than the last Azurite that runs on Node.js 20 knows.
#
# Needs Node.js (20 or newer) and npm. Install output goes to stderr and the emulator's output to
# DATA_DIR/azurite.log; stdout carries only the endpoint.
set -euo pipefail

readonly azurite_version=3.35.0  # the last release that runs on Node.js 20 (3.36 needs 21)
readonly account=devstoreaccount1

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_service_args "$@"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
install_dir=$repo/.cache/azurite
bin=$install_dir/node_modules/.bin/azurite-blob

# The pid of the emulator of DATA_DIR when it runs, else nothing.
running_pid() {
  local pid
  [[ -f $data/azurite.pid ]] || return 0
  pid=$(cat "$data/azurite.pid")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # The pid must still be our emulator, not a recycled number.
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q azurite-blob; then
    echo "$pid"
  fi
}

if [[ $mode == stop ]]; then
  [[ -d $data ]] || exit 0
  pid=$(running_pid)
  [[ -n $pid ]] || exit 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$data/azurite.pid"; exit 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$data/azurite.pid"
  exit 0
fi

# --- start ----------------------------------------------------------------------------------
command -v node >/dev/null || die "node not found (Node.js 20 or newer is needed)"
command -v npm >/dev/null || die "npm not found"
command -v curl >/dev/null || die "curl not found"

installed() {
  [[ -x $bin && $(node -p "require('$install_dir/node_modules/azurite/package.json').version" \
    2>/dev/null) == "$azurite_version" ]]
}

if ! installed; then
  mkdir -p "$install_dir"
  # One installer at a time (several test runs may start emulators together).
  exec 9>"$install_dir/.install.lock"
  flock 9
  if ! installed; then
    echo "azurite.sh: installing azurite@$azurite_version in $install_dir (first run)" >&2
    started=$SECONDS
    [[ -f $install_dir/package.json ]] || echo '{"private": true}' >"$install_dir/package.json"
    (cd "$install_dir" && npm install --no-audit --no-fund --loglevel=warn --save-exact \
      "azurite@$azurite_version") >&2 || die "npm install azurite@$azurite_version failed"
    installed || die "azurite-blob missing after installation in $install_dir"
    echo "azurite.sh: installed in $((SECONDS - started)) s" >&2
  fi
  flock -u 9
  exec 9>&-
fi

mkdir -p "$data/data"
data=$(cd "$data" && pwd)

endpoint() { echo "http://127.0.0.1:$1/$account"; }

pid=$(running_pid)
if [[ -n $pid ]]; then
  [[ -f $data/azurite.port ]] || die "an emulator runs for $data but its port is unknown"
  endpoint "$(cat "$data/azurite.port")"
  exit 0
fi


# Any HTTP answer (an unsigned request gets 403) means the service is up.
answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(endpoint "$1")?comp=list" || true)
  [[ $code =~ ^[1-5][0-9][0-9]$ ]]
}

# Starts the emulator on `port` and waits until it answers; fails when it exits or stays silent.
start_on() {
  # setsid: the emulator outlives this script and the caller's terminal signals.
  setsid "$bin" --blobHost 127.0.0.1 --blobPort "$1" --location "$data/data" \
    --disableProductStyleUrl --disableTelemetry --skipApiVersionCheck \
    >>"$data/azurite.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$data/azurite.pid"
  echo "$1" >"$data/azurite.port"
  for _ in $(seq 1 300); do
    answers "$1" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

log_tail() { tail -n 3 "$data/azurite.log" 2>/dev/null || true; }

if ((port != 0)); then
  start_on "$port" || die "Azurite did not start on port $port (see $data/azurite.log): $(log_tail)"
else
  # A port another process takes between the probe and the start costs one more attempt.
  started=0
  for _ in 1 2 3; do
    port=$(free_port)
    if start_on "$port"; then
      started=1
      break
    fi
  done
  ((started)) || die "Azurite did not start (see $data/azurite.log): $(log_tail)"
fi
endpoint "$port"
