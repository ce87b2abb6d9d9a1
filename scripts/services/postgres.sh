#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL cluster for Pangolin's tests, on loopback only.
#
# Usage: scripts/services/postgres.sh start DATA_DIR [PORT]
#        scripts/services/postgres.sh stop DATA_DIR
#   e.g. url=$(scripts/services/postgres.sh start /tmp/pangolin-pg)
#        PANGOLIN_TEST_POSTGRES_URL=$url build/tests/contract_test
#        scripts/services/postgres.sh stop /tmp/pangolin-pg
#
# start: creates the cluster in DATA_DIR when it holds none (initdb: superuser "postgres", trust
# authentication, UTF-8, C locale), starts it listening on 127.0.0.1:PORT (a free port when PORT
# is omitted or 0) with its unix socket beside its data, waits until it accepts connections and
# prints one line: its URL, postgresql://postgres@127.0.0.1:PORT/postgres. A cluster already
# running is left as it is and its URL printed. A stopped one is started again on its previous
# port unless PORT says otherwise, so data survives a stop and start.
# stop: stops the cluster (fast shutdown) and leaves its data in place; nothing to do when it is
# not running.
#
# Needs PostgreSQL's server binaries (Debian: the postgresql package; PG_BIN overrides where they
# are). initdb and postgres refuse to run as root: as root, the cluster runs as the "postgres"
# system user (the Debian package creates it), which then owns DATA_DIR. When that user cannot
# reach DATA_DIR (a parent is private, as pytest's temporary directories are), the cluster lives
# in /tmp/pangolin-postgres/ instead and DATA_DIR/relocated names it; a later start deletes such a
# cluster once its DATA_DIR is gone. Server output goes to server.log in the cluster's directory;
# stdout carries only the URL.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_service_args "$@"
relocation_base=/tmp/pangolin-postgres

find_bin() {
  if [[ -n ${PG_BIN:-} ]]; then
    [[ -x $PG_BIN/postgres ]] || die "PG_BIN=$PG_BIN holds no postgres binary"
    echo "$PG_BIN"
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $dir && -x $dir/postgres ]]; then
    echo "$dir"
  elif command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  else
    die "PostgreSQL server binaries not found (install the postgresql package, or set PG_BIN)"
  fi
}
bin=$(find_bin)

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as the user owning the cluster.
as_owner() {
  if is_root; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { as_owner "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# The port the cluster listens on (from its own settings file).
configured_port() {
  [[ -f $cluster/pangolin.conf ]] || return 0
  sed -n "s/^port = \([0-9]*\).*/\1/p" "$cluster/pangolin.conf" | tail -n 1
}


url() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }

# Deletes relocated clusters whose DATA_DIR no longer exists.
collect_orphans() {
  local owner orphan
  for owner in "$relocation_base"/*.owner; do
    [[ -f $owner ]] || continue
    [[ -d $(cat "$owner") ]] && continue
    orphan=${owner%.owner}
    if [[ -f $orphan/PG_VERSION ]] && running "$orphan"; then
      as_owner "$bin/pg_ctl" -D "$orphan" -m immediate -w stop >/dev/null 2>&1 || continue
    fi
    rm -rf "$orphan" "$owner"
  done
}

# Sets `cluster`: DATA_DIR itself, or the relocated directory it names (`create`: relocating
# when the cluster's user cannot reach DATA_DIR).
locate_cluster() {
  cluster=$data
  if [[ -f $data/relocated ]]; then
    cluster=$(cat "$data/relocated")
  elif [[ $1 == create ]] && is_root && ! runuser -u postgres -- test -w "$data"; then
    mkdir -p "$relocation_base"
    chmod 755 "$relocation_base"
    cluster=$(mktemp -d "$relocation_base/cluster.XXXXXX")
    echo "$data" >"$cluster.owner"
    echo "$cluster" >"$data/relocated"
  fi
  if is_root; then
    chown postgres: "$cluster"
    chmod 700 "$cluster"
  fi
}

if [[ $mode == stop ]]; then
  [[ -d $data ]] || exit 0
  locate_cluster find
  [[ -f $cluster/PG_VERSION ]] || exit 0
  if running "$cluster"; then
    as_owner "$bin/pg_ctl" -D "$cluster" -m fast -w stop >/dev/null ||
      die "pg_ctl stop failed (see $cluster/server.log)"
  fi
  exit 0
fi

# --- start ----------------------------------------------------------------------------------
is_root && collect_orphans
mkdir -p "$data"
data=$(cd "$data" && pwd)
is_root && chown postgres: "$data"
locate_cluster create
((${#cluster} < 90)) || die "data directory too long for a unix socket inside it: $cluster"

if running "$cluster"; then
  current=$(configured_port)
  [[ -n $current ]] || die "a cluster runs in $cluster but its port is unknown"
  url "$current"
  exit 0
fi

if [[ ! -f $cluster/PG_VERSION ]]; then
  [[ -z $(ls -A "$cluster") ]] || die "$cluster is neither empty nor a PostgreSQL cluster"
  log=$(mktemp)
  as_owner "$bin/initdb" -D "$cluster" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    >"$log" 2>&1 || die "initdb failed: $(tail -n 5 "$log")"
  rm -f "$log"
  # Settings of ours, kept apart from initdb's postgresql.conf.
  echo "include_if_exists = 'pangolin.conf'" | as_owner tee -a "$cluster/postgresql.conf" >/dev/null
fi

# Writes our settings for `port` and starts the server; fails when it does not come up.
start_on() {
  printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $1" \
    "unix_socket_directories = '$cluster'" "max_connections = 200" |
    as_owner tee "$cluster/pangolin.conf" >/dev/null
  as_owner "$bin/pg_ctl" -D "$cluster" -l "$cluster/server.log" -w -t 60 start >/dev/null 2>&1
}

server_log_tail() { tail -n 3 "$cluster/server.log" 2>/dev/null || true; }

if ((port != 0)); then
  start_on "$port" ||
    die "PostgreSQL did not start on port $port (see $cluster/server.log): $(server_log_tail)"
else
  # The previous port first (a restart keeps the URL), else free ones; a port another process
  # takes between the probe and the start costs one more attempt.
  port=$(configured_port)
  started=0
  for _ in 1 2 3; do
    [[ -n $port ]] || port=$(free_port)
    if start_on "$port"; then
      started=1
      break
    fi
    port=""
  done
  ((started)) || die "PostgreSQL did not start (see $cluster/server.log): $(server_log_tail)"
fi

# pg_ctl -w waits for the postmaster; make sure a client really gets in over TCP.
for _ in $(seq 1 100); do
  if as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
    url "$port"
    exit 0
  fi
  sleep 0.1
done
die "PostgreSQL started but does not accept connections on 127.0.0.1:$port"
