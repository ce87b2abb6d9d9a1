# Shared by the service scripts of this folder (sourced, not run): their command line
# `start DATA_DIR [PORT] | stop DATA_DIR`, their error exit and a free loopback port.
#
# Usage, at the top of a script after `set -euo pipefail`:
#   source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
#   parse_service_args "$@"   # sets mode, data and port (0 when omitted), or exits with usage

# Prints "<script>: error: MESSAGE" on stderr and exits 1.
die() { echo "$(basename "$0"): error: $*" >&2; exit 1; }
usage() { die "usage: $0 start DATA_DIR [PORT] | stop DATA_DIR"; }

parse_service_args() {
  [[ $# -ge 2 ]] || usage
  mode=$1
  data=$2
  port=${3:-0}
  [[ $mode == start || $mode == stop ]] || usage
  [[ $port =~ ^[0-9]+$ ]] && ((port <= 65535)) || die "PORT must be a number from 0 to 65535"
}

# A port nothing listens on at 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || die "cannot find a free port (python3 missing?); pass PORT"
}
