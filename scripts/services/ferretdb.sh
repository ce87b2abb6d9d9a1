#!/usr/bin/env bash
# Starts and stops a throwaway FerretDB (a MongoDB wire-protocol server) for the tests of
# Pangolin's MongoDB store, on loopback only, with FerretDB's embedded SQLite backend.
#
# Usage: scripts/services/ferretdb.sh start DATA_DIR [PORT]
#        scripts/services/ferretdb.sh stop DATA_DIR
#   e.g. url=$(scripts/services/ferretdb.sh start /tmp/pangolin-ferretdb)
#        PANGOLIN_TEST_MONGO_URL=$url build-mongo/tests/mongo_contract_test
#        scripts/services/ferretdb.sh stop /tmp/pangolin-ferretdb
#
# start: installs FerretDB when it is missing (the pinned version's source from the Go module
# proxy, built with `go build` into .cache/ferretdb/bin of the repository; FERRETDB_BIN overrides
# the binary), starts it listening on 127.0.0.1:PORT (a free port when PORT is omitted or 0) with
# its SQLite databases in DATA_DIR, waits until it accepts connections and prints one line: its
# URL, mongodb://127.0.0.1:PORT/. A server already running for DATA_DIR is left as it is and its
# URL printed.
# stop: stops the server of DATA_DIR and leaves its data in place; nothing to do when none runs.
#
# Needs Go (1.22 or newer) the first time. Install and server output go to stderr and
# DATA_DIR/ferretdb.log; stdout carries only the URL.
set -euo pipefail

version=v1.24.2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_service_args "$@"

pid_file() { echo "$data/ferretdb.pid"; }
port_file() { echo "$data/ferretdb.port"; }
running() {
  [[ -f $(pid_file) ]] && kill -0 "$(cat "$(pid_file)")" 2>/dev/null
}

if [[ $mode == stop ]]; then
  [[ -d $data ]] || exit 0
  if running; then
    pid=$(cat "$(pid_file)")
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null || die "FerretDB (pid $pid) did not stop"
  fi
  rm -f "$(pid_file)"
  exit 0
fi

# --- install ----------------------------------------------------------------------------------
bin=${FERRETDB_BIN:-$root/.cache/ferretdb/bin/ferretdb}
if [[ ! -x $bin ]]; then
  [[ -z ${FERRETDB_BIN:-} ]] || die "FERRETDB_BIN=$FERRETDB_BIN is not an executable"
  command -v go >/dev/null || die "go not found (needed once to install FerretDB $version)"
  mkdir -p "$root/.cache/ferretdb/bin"
  # One installer at a time (several test runs may start servers together).
  exec 9>"$root/.cache/ferretdb/.install.lock"
  flock 9
  if [[ ! -x $bin ]]; then
    echo "ferretdb.sh: installing FerretDB $version into $root/.cache/ferretdb/bin" >&2
    # `go install module@version` builds a binary that panics at start: the module lacks the
    # generated build/version/version.txt. So build from a copy of the module with that file.
    src=$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$version" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -n $src && -d $src ]] || die "go mod download of FerretDB $version failed"
    work=$(mktemp -d)
    cp -r "$src/." "$work/"
    chmod -R u+w "$work"
    echo "$version" >"$work/build/version/version.txt"
    (cd "$work" && GOFLAGS=-buildvcs=false go build -o "$root/.cache/ferretdb/bin/ferretdb" \
      ./cmd/ferretdb) >&2 || { rm -rf "$work"; die "go build of FerretDB $version failed"; }
    rm -rf "$work"
  fi
  flock -u 9
  exec 9>&-
fi

# --- start ------------------------------------------------------------------------------------
mkdir -p "$data"
data=$(cd "$data" && pwd)
url() { echo "mongodb://127.0.0.1:$1/"; }

if running; then
  [[ -f $(port_file) ]] || die "a FerretDB runs for $data but its port is unknown"
  url "$(cat "$(port_file)")"
  exit 0
fi


# Whether something accepts TCP connections on 127.0.0.1:$1.
accepting() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the server on port $1 and waits until it accepts connections; fails when it exits.
start_on() {
  mkdir -p "$data/sqlite"
  setsid "$bin" --listen-addr="127.0.0.1:$1" --handler=sqlite --sqlite-url="file:$data/sqlite/" \
    --state-dir="$data" --telemetry=disable --log-level=warn \
    --debug-addr=- </dev/null >>"$data/ferretdb.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$(pid_file)"
  echo "$1" >"$(port_file)"
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || return 1
    accepting "$1" && return 0
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

if ((port != 0)); then
  start_on "$port" ||
    die "FerretDB did not start on port $port (see $data/ferretdb.log): $(tail -n 3 "$data/ferretdb.log")"
else
  started=0
  for _ in 1 2 3; do
    port=$(free_port)
    if start_on "$port"; then
      started=1
      break
    fi
  done
  ((started)) || die "FerretDB did not start (see $data/ferretdb.log): $(tail -n 3 "$data/ferretdb.log")"
fi
url "$port"
