#!/usr/bin/env bash
# Runs a command with the servers Pangolin's tests need, each started on loopback in a fresh
# temporary directory unless the environment already names one, and stopped and removed when the
# command ends, whatever its outcome. Exit status: the command's.
#
# Usage: scripts/services/with_services.sh COMMAND [ARG...]
#   e.g. scripts/services/with_services.sh ctest --test-dir build
#
# Each server is exported to the command as the variables its tests read:
#   PostgreSQL  PANGOLIN_TEST_POSTGRES_URL, PANGOLIN_TEST_POSTGRES_DATA  (postgres.sh)
#   FerretDB    PANGOLIN_TEST_MONGO_URL, PANGOLIN_TEST_MONGO_DATA        (ferretdb.sh)
#   MinIO       PANGOLIN_TEST_S3_ENDPOINT, PANGOLIN_TEST_S3_DATA         (minio.sh)
#   Azurite     PANGOLIN_TEST_AZURE_ENDPOINT, PANGOLIN_TEST_AZURE_DATA   (azurite.sh)
#   fake-gcs    PANGOLIN_TEST_GCS_ENDPOINT, PANGOLIN_TEST_GCS_DATA       (fake_gcs.sh)
# A variable already set (a server of your own) is used as it is and nothing is started for it.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

started=()  # "script dir" pairs to stop at exit
cleanup() {
  for entry in "${started[@]}"; do
    "$here/${entry%% *}" stop "${entry#* }" >/dev/null 2>&1 || true
    rm -rf "${entry#* }"
  done
}
trap cleanup EXIT

# start_service SCRIPT URL_VAR DATA_VAR LABEL: starts SCRIPT's server unless URL_VAR is set.
start_service() {
  local script=$1 url_var=$2 data_var=$3 label=$4
  [[ -z ${!url_var:-} ]] || return 0
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pangolin-${script%.sh}.XXXXXX")
  started+=("$script $dir")
  export "$url_var=$("$here/$script" start "$dir")"
  export "$data_var=$dir"
  echo "$label for the tests: ${!url_var}" >&2
}

start_service postgres.sh PANGOLIN_TEST_POSTGRES_URL PANGOLIN_TEST_POSTGRES_DATA PostgreSQL
start_service ferretdb.sh PANGOLIN_TEST_MONGO_URL PANGOLIN_TEST_MONGO_DATA FerretDB
start_service minio.sh PANGOLIN_TEST_S3_ENDPOINT PANGOLIN_TEST_S3_DATA MinIO
start_service azurite.sh PANGOLIN_TEST_AZURE_ENDPOINT PANGOLIN_TEST_AZURE_DATA Azurite
start_service fake_gcs.sh PANGOLIN_TEST_GCS_ENDPOINT PANGOLIN_TEST_GCS_DATA fake-gcs-server

"$@"
