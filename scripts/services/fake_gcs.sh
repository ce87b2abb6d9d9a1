#!/usr/bin/env bash
# Starts and stops a throwaway fake-gcs-server (a Google Cloud Storage emulator) for Pangolin's
# tests, on loopback only.
#
# Usage: scripts/services/fake_gcs.sh start DATA_DIR [PORT]
#        scripts/services/fake_gcs.sh stop DATA_DIR
#   e.g. endpoint=$(scripts/services/fake_gcs.sh start /tmp/pangolin-gcs)
#        PANGOLIN_TEST_GCS_ENDPOINT=$endpoint build/tests/contract_test --gtest_filter='Gcs*'
#        scripts/services/fake_gcs.sh stop /tmp/pangolin-gcs
#
# start: installs fake-gcs-server the first time (go install of the pinned version below from the
# Go module proxy into .cache/fake-gcs-server/bin of the repository; FAKE_GCS_BIN names another
# binary), starts it on 127.0.0.1:PORT (a free port when PORT is omitted or 0) over plain http
# with its objects in DATA_DIR/storage (FAKE_GCS_BACKEND=memory keeps them in memory instead),
# waits until it answers, creates the bucket "warehouse" and prints one line: the endpoint,
# http://127.0.0.1:PORT. A server already running for DATA_DIR is left as it is and its endpoint
# printed; a stopped one starts again on its previous port unless PORT says otherwise.
# stop: stops the server started for DATA_DIR and keeps its data; nothing to do when none runs.
#
# What the emulator does not do: it checks no credentials (any Authorization header, or none, is
# accepted) and knows no IAM, so refusals (401/403) and downscoped tokens cannot be tested
# against it. It does honour generation preconditions (ifGenerationMatch=0 is checked and the
# object created under one lock: concurrent creators get exactly one 200, the others 412) and
# pages listings (maxResults, pageToken). Its filesystem backend stores object "a/b" as the file
# a/b, so it cannot hold an object "a" beside "a/b" (it answers 500); the memory backend can.
#
# Needs Go (1.26 or newer, for the first install), curl and python3 (to find a free port). Server
# output goes to DATA_DIR/server.log; stdout carries only the endpoint.
set -euo pipefail

version=v1.56.1
module=github.com/fsouza/fake-gcs-server
bucket=warehouse

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_service_args "$@"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The pid of the server started for DATA_DIR when it still runs, else nothing.
running_pid() {
  local pid
  [[ -f $data/server.pid ]] || return 0
  pid=$(cat "$data/server.pid")
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-port"; then
    echo "$pid"
  fi
}

if [[ $mode == stop ]]; then
  [[ -d $data ]] || exit 0
  pid=$(running_pid)
  [[ -n $pid ]] || exit 0
  kill "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$data/server.pid"; exit 0; }
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$data/server.pid"
  exit 0
fi

# --- start ----------------------------------------------------------------------------------
# Sets `bin`: FAKE_GCS_BIN, or the pinned version in the repository's cache (installed once).
find_bin() {
  if [[ -n ${FAKE_GCS_BIN:-} ]]; then
    [[ -x $FAKE_GCS_BIN ]] || die "FAKE_GCS_BIN=$FAKE_GCS_BIN is not an executable"
    bin=$FAKE_GCS_BIN
    return
  fi
  local dir=$repo/.cache/fake-gcs-server
  bin=$dir/bin/fake-gcs-server
  [[ -x $bin && -f $dir/version && $(cat "$dir/version") == "$version" ]] && return
  command -v go >/dev/null || die "go not found (needed once, to install fake-gcs-server)"
  mkdir -p "$dir/bin"
  # One installer at a time (several test runs may start servers together).
  exec 9>"$dir/.install.lock"
  flock 9
  if [[ ! -x $bin || ! -f $dir/version || $(cat "$dir/version") != "$version" ]]; then
    echo "fake_gcs.sh: installing $module@$version into $dir/bin (go install)" >&2
    GOBIN=$dir/bin GOFLAGS=-buildvcs=false go install "$module@$version" >&2 ||
      die "go install $module@$version failed"
    echo "$version" >"$dir/version"
  fi
  flock -u 9
  exec 9>&-
}


# Whether nothing listens on 127.0.0.1:PORT (another server there would answer our readiness
# probe).
port_free() {
  python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' \
    "$1" 2>/dev/null
}

endpoint() { echo "http://127.0.0.1:$1"; }

ready() { curl -sf -o /dev/null "$(endpoint "$1")/storage/v1/b"; }

# Creates the bucket; one that exists already (409) is fine.
create_bucket() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "{\"name\":\"$bucket\"}" "$(endpoint "$1")/storage/v1/b?project=pangolin") || true
  [[ $status == 200 || $status == 409 ]] || die "creating bucket $bucket answered HTTP $status"
}

# Starts the server on `port` and waits until it answers; fails when it exits or stays silent.
start_on() {
  local backend=${FAKE_GCS_BACKEND:-filesystem} pid
  [[ $backend == filesystem || $backend == memory ]] ||
    die "FAKE_GCS_BACKEND must be filesystem or memory"
  port_free "$1" || return 1
  mkdir -p "$data/storage" "$data/seed"
  # setsid: the server outlives this script and the shell that ran it; it runs in / so that it
  # holds no other directory busy.
  (cd / && exec setsid "$bin" -scheme http -host 127.0.0.1 -port "$1" -backend "$backend" \
    -filesystem-root "$data/storage" -data "$data/seed" -public-host "127.0.0.1:$1" \
    -external-url "$(endpoint "$1")" -log-level warn </dev/null >>"$data/server.log" 2>&1) &
  pid=$!
  echo "$pid" >"$data/server.pid"
  echo "$1" >"$data/port"
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || return 1
    ready "$1" && kill -0 "$pid" 2>/dev/null && return 0
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

mkdir -p "$data"
data=$(cd "$data" && pwd)
pid=$(running_pid)
if [[ -n $pid ]]; then
  current=$(cat "$data/port")
  ready "$current" || die "fake-gcs-server (pid $pid) runs for $data but does not answer"
  endpoint "$current"
  exit 0
fi

find_bin
if ((port != 0)); then
  port_free "$port" || die "port $port is in use"
  start_on "$port" ||
    die "fake-gcs-server did not start on port $port: $(tail -n 3 "$data/server.log")"
else
  # The previous port first (a restart keeps the endpoint), else free ones; a port another
  # process takes between the probe and the start costs one more attempt.
  port=$(cat "$data/port" 2>/dev/null || true)
  started=0
  for _ in 1 2 3; do
    [[ -n $port ]] || port=$(free_port)
    if start_on "$port"; then
      started=1
      break
    fi
    port=""
  done
  ((started)) || die "fake-gcs-server did not start: $(tail -n 3 "$data/server.log")"
fi
create_bucket "$port"
endpoint "$port"
