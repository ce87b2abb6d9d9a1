#!/usr/bin/env bash
# Starts and stops a throwaway MinIO server (S3 and STS) for Pangolin's tests, on loopback only.
# MinIO is a test server here: it is never linked into or shipped with Pangolin.
#
# Usage: scripts/services/minio.sh start DATA_DIR [PORT]
#        scripts/services/minio.sh stop DATA_DIR
#   e.g. endpoint=$(scripts/services/minio.sh start /tmp/pangolin-minio)
#        PANGOLIN_TEST_S3_ENDPOINT=$endpoint build/tests/contract_test
#        scripts/services/minio.sh stop /tmp/pangolin-minio
#
# Test-only credentials (fixed; the tests default to them):
#   root user      pangolin-root / pangolin-root-secret   (PANGOLIN_TEST_S3_ACCESS_KEY_ID,
#                                                          PANGOLIN_TEST_S3_SECRET_ACCESS_KEY)
#   region         us-east-1
#   bucket         warehouse (created on every start when missing)
# STS: MinIO serves AssumeRole on its S3 endpoint and accepts it signed with the root
# credentials (service "sts"); the temporary credentials inherit root's rights narrowed by the
# session policy, so no IAM user is needed. MINIO_DOMAIN=localhost makes virtual-hosted requests
# work too: http://warehouse.localhost:PORT/key (clients that resolve *.localhost to loopback, as
# libcurl does, reach the server listening on 127.0.0.1).
#
# start: installs MinIO the first time (below), starts it listening on 127.0.0.1:PORT (a free
# port when PORT is omitted or 0; a restart reuses the previous port) with its data in
# DATA_DIR/data, waits until it is ready, creates the bucket, and prints one line: its endpoint,
# http://127.0.0.1:PORT. A server already running is left as it is and its endpoint printed.
# stop: stops the server and leaves its data in place; nothing to do when it is not running.
#
# Install: `go install github.com/minio/minio@$MINIO_VERSION` (from the Go module proxy) into
# .cache/minio/bin of this repository; MINIO_BIN names another binary instead. Needs Go 1.24 or
# later; the first install downloads ~300 modules and compiles for several minutes. Server output
# goes to DATA_DIR/server.log; stdout carries only the endpoint.
set -euo pipefail

MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
ROOT_USER=pangolin-root
ROOT_PASSWORD=pangolin-root-secret
REGION=us-east-1
BUCKET=warehouse

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_service_args "$@"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The pid of the server started in DATA_DIR, when it still runs.
running_pid() {
  local pid
  [[ -f $data/minio.pid ]] || return 1
  pid=$(cat "$data/minio.pid")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == minio* ]] || return 1
  echo "$pid"
}

if [[ $mode == stop ]]; then
  [[ -d $data ]] || exit 0
  pid=$(running_pid) || exit 0
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$data/minio.pid"; exit 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$data/minio.pid"
  exit 0
fi

# --- start ----------------------------------------------------------------------------------
command -v curl >/dev/null 2>&1 || die "curl is needed (readiness checks, bucket creation)"

install_minio() {
  local bin_dir=$repo/.cache/minio/bin
  if [[ -x $bin_dir/minio && $(cat "$bin_dir/minio.version" 2>/dev/null) == "$MINIO_VERSION" ]]; then
    echo "$bin_dir/minio"
    return
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to install MinIO (or set MINIO_BIN)"
  mkdir -p "$bin_dir"
  local log
  log=$(mktemp)
  echo "minio.sh: installing MinIO $MINIO_VERSION into $bin_dir (first time: several minutes)" >&2
  # GOTOOLCHAIN=local: build with the Go that is installed rather than download another one.
  if ! (cd "$bin_dir" && GOBIN=$bin_dir GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
        go install "github.com/minio/minio@$MINIO_VERSION") >"$log" 2>&1; then
    die "go install of MinIO failed: $(tail -n 5 "$log")"
  fi
  rm -f "$log"
  echo "$MINIO_VERSION" >"$bin_dir/minio.version"
  echo "$bin_dir/minio"
}

if [[ -n ${MINIO_BIN:-} ]]; then
  [[ -x $MINIO_BIN ]] || die "MINIO_BIN=$MINIO_BIN is not an executable"
  bin=$MINIO_BIN
else
  bin=$(install_minio)
fi

mkdir -p "$data/data"
data=$(cd "$data" && pwd)
endpoint() { echo "http://127.0.0.1:$1"; }

if pid=$(running_pid); then
  current=$(cat "$data/port" 2>/dev/null || true)
  [[ -n $current ]] || die "a MinIO server runs from $data (pid $pid) but its port is unknown"
  endpoint "$current"
  exit 0
fi


ready() { curl -fs -o /dev/null --max-time 2 "$(endpoint "$1")/minio/health/ready"; }

# Starts the server on `port` in its own session and waits until it answers; fails when it exits
# or does not come up within 60 s.
start_on() {
  echo "$1" >"$data/port"
  MINIO_ROOT_USER=$ROOT_USER MINIO_ROOT_PASSWORD=$ROOT_PASSWORD MINIO_REGION=$REGION \
    MINIO_DOMAIN=localhost MINIO_BROWSER=off MINIO_UPDATE=off \
    setsid "$bin" server --quiet --anonymous --address "127.0.0.1:$1" "$data/data" \
    >>"$data/server.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$data/minio.pid"
  for _ in $(seq 1 600); do
    ready "$1" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  return 1
}

server_log_tail() { tail -n 3 "$data/server.log" 2>/dev/null || true; }

if ((port != 0)); then
  start_on "$port" || die "MinIO did not start on port $port (see $data/server.log): $(server_log_tail)"
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
  ((started)) || die "MinIO did not start (see $data/server.log): $(server_log_tail)"
fi

# The bucket the tests use: created with a request signed by curl (SigV4, service s3).
s3() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 --aws-sigv4 "aws:amz:$REGION:s3" \
    --user "$ROOT_USER:$ROOT_PASSWORD" "$@"
}
status=$(s3 -I "$(endpoint "$port")/$BUCKET")
if [[ $status != 200 ]]; then
  status=$(s3 -X PUT "$(endpoint "$port")/$BUCKET")
  [[ $status == 200 || $status == 409 ]] || die "creating bucket $BUCKET failed with HTTP $status"
fi
endpoint "$port"
